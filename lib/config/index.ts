import { crossFieldProblems, envObject, type Env } from "./schema";

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Werify Portal cannot start; fix the configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

export type Config = Env & {
  demo: boolean;
  postgres: boolean;
  publicOrigin: string;
  publicHost: string;
};

/** Validates an environment; throws ConfigError naming every bad variable. */
export function parseConfig(source: Record<string, string | undefined>): Config {
  const result = envObject.safeParse(source);
  const problems = (result.success ? [] : result.error.issues).map((issue) => {
    const name = String(issue.path[0] ?? "environment");
    const missing = issue.code === "invalid_type" && source[name] === undefined;
    return `${name}: ${missing ? "is not set — " : ""}${issue.message}`;
  });
  problems.push(...crossFieldProblems(source).map((p) => `${p.name}: ${p.message}`));
  if (!result.success || problems.length) throw new ConfigError(problems);
  const env = result.data;
  const url = new URL(env.PUBLIC_URL);
  return {
    ...env,
    demo: env.PORTAL_MODE === "demo",
    postgres: env.DATABASE_URL.startsWith("postgres"),
    publicOrigin: url.origin,
    publicHost: url.host,
  };
}

let cached: Config | undefined;

/** The configuration, read from process.env once per process. */
export function config(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}
