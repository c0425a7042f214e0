import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { envObject } from "@/lib/config/schema";

describe("the README", () => {
  it("documents every environment variable the portal reads", () => {
    const readme = readFileSync("README.md", "utf8");
    const keys = Object.keys(envObject.shape);
    expect(keys.length).toBeGreaterThan(20);
    expect(keys.filter((key) => !readme.includes(`\`${key}\``))).toEqual([]);
  });

  it("shows the two commands", () => {
    const readme = readFileSync("README.md", "utf8");
    expect(readme).toContain("npm install && npm start");
    expect(readme).toContain("npm test");
  });
});
