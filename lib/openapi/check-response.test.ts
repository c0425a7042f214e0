import { describe, expect, it } from "vitest";
import { openApiDocument } from "./build-document";
import { checkResponse, checkSchema } from "./check-response";

const doc = openApiDocument({ serverUrl: "http://localhost:3000", appName: "Werify" });

describe("checking answers against the API description", () => {
  it("accepts each endpoint's own examples", () => {
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        for (const [status, response] of Object.entries(operation.responses)) {
          const media = response.content?.["application/json"];
          const examples = [media?.example, ...Object.values(media?.examples ?? {}).map((e) => e.value)].filter((e) => e !== undefined);
          for (const example of examples) {
            expect(checkResponse(doc, { method: method as "get" | "post", path, status: Number(status), body: example }), `${method} ${path} ${status}`).toEqual([]);
          }
        }
      }
    }
  });

  it("names the field that is missing, extra or of the wrong type", () => {
    const tokens = { $ref: "#/components/schemas/TokenResponse" };
    expect(checkSchema(doc, tokens, { token_type: "Bearer" })).toEqual(expect.arrayContaining(["$.access_token: missing"]));
    const extra = checkResponse(doc, { method: "get", path: "/healthz", status: 200, body: { status: "ok", secret: 1 } });
    expect(extra).toEqual(["$.secret: not in the description"]);
    expect(checkResponse(doc, { method: "get", path: "/readyz", status: 200, body: { status: "ready", database: 1 } })).toEqual(["$.database: integer, expected string"]);
  });

  it("refuses an error code the endpoint does not document", () => {
    const body = { error: "qr_consumed", error_description: "x" };
    expect(checkResponse(doc, { method: "post", path: "/v1/oauth/sign", status: 410, body })).toEqual(["POST /v1/oauth/sign is not described as answering 410"]);
    expect(checkResponse(doc, { method: "post", path: "/v1/oauth/sign", status: 400, body: { ...body, error: "invalid_code" } })).toHaveLength(1);
    expect(checkResponse(doc, { method: "post", path: "/v1/oauth/sign", status: 400, body: { ...body, error: "invalid_identity" } })).toEqual([]);
  });
});
