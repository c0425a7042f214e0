import { z } from "zod";
import type { ErrorCode } from "@/lib/http/errors";
import { MAX_BODY_BYTES } from "@/lib/http/body";
import { ENDPOINTS, TAGS, type Endpoint } from "./endpoints";
import { apiError, ERROR_MEANING, statusOf } from "./errors";
import * as responses from "./responses";
import type { JsonSchema, OpenApiDocument, Operation, Parameter, ResponseObject } from "./types";

const REF = "#/components/schemas/";
const JSON_TYPE = "application/json";

type Named = { id: string; schema: z.ZodType };

function idOf(schema: z.ZodType): string | undefined {
  const id = z.globalRegistry.get(schema)?.id;
  return typeof id === "string" ? id : undefined;
}

// zod spells out what JSON Schema readers do not need: the ±2^53 bounds of
// every integer and the regular expression behind `format: date-time`.
function tidy(ctx: { jsonSchema: Record<string, unknown> }) {
  const s = ctx.jsonSchema;
  if (s.format === "date-time") delete s.pattern;
  if (s.maximum === Number.MAX_SAFE_INTEGER) delete s.maximum;
  if (s.minimum === Number.MIN_SAFE_INTEGER) delete s.minimum;
}

/** Converts named zod schemas into `components.schemas`, nested named schemas as `$ref`s. */
function componentSchemas(named: Named[], io: "input" | "output"): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const { id, schema } of named) if (!registry.has(schema)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, {
    target: "draft-2020-12",
    io,
    unrepresentable: "any",
    uri: (id) => `${REF}${id}`,
    override: tidy,
  });
  const out: Record<string, JsonSchema> = {};
  for (const [id, schema] of Object.entries(schemas)) {
    if (id === "__shared") throw new Error(`a nested named schema is missing from the OpenAPI components: ${Object.keys(schema.$defs ?? {}).join(", ")}`);
    const rest: Record<string, unknown> = { ...schema };
    delete rest.$schema;
    delete rest.$id;
    out[id] = rest as JsonSchema;
  }
  return out;
}

function inlineSchema(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const { $ref, $defs, ...rest } = z.toJSONSchema(schema, { target: "draft-2020-12", io, unrepresentable: "any", override: tidy });
  delete rest.$schema;
  // A schema with an id of its own comes back as a $ref into $defs.
  const named = $ref ? $defs?.[$ref.replace("#/$defs/", "")] : undefined;
  return (named ?? rest) as JsonSchema;
}

function requestName(endpoint: Endpoint): string {
  return endpoint.body ? (idOf(endpoint.body) ?? `${endpoint.operationId[0].toUpperCase()}${endpoint.operationId.slice(1)}Request`) : "";
}

function responseName(endpoint: Endpoint): string {
  return idOf(endpoint.response.schema) ?? `${endpoint.operationId[0].toUpperCase()}${endpoint.operationId.slice(1)}Response`;
}

/** The endpoint's error codes, plus what every JSON body and every wrapped route can answer. */
export function endpointErrors(endpoint: Endpoint): [ErrorCode, string][] {
  const errors: Partial<Record<ErrorCode, string>> = { ...endpoint.errors };
  if (endpoint.body) {
    errors.invalid_request ??= "";
    errors.payload_too_large ??= "";
  }
  // Every /v1 route answers the methods it does not take with the envelope (lib/http/route.ts otherMethods).
  if (endpoint.path.startsWith("/v1/")) errors.method_not_allowed ??= "";
  if (!endpoint.infallible) errors.server_error ??= "";
  return (Object.entries(errors) as [ErrorCode, string][])
    .map(([code, when]): [ErrorCode, string] => [code, when || ERROR_MEANING[code]])
    .sort(([a], [b]) => statusOf(a) - statusOf(b));
}

function errorResponses(endpoint: Endpoint): Record<string, ResponseObject> {
  const byStatus = new Map<number, [ErrorCode, string][]>();
  for (const entry of endpointErrors(endpoint)) {
    const status = statusOf(entry[0]);
    byStatus.set(status, [...(byStatus.get(status) ?? []), entry]);
  }
  const out: Record<string, ResponseObject> = {};
  for (const [status, entries] of byStatus) {
    const codes = entries.map(([code]) => code);
    const headers: ResponseObject["headers"] = {};
    if (status === 429) headers["Retry-After"] = { description: "Seconds to wait before trying again.", schema: { type: "integer", minimum: 1 } };
    if (status === 401) headers["WWW-Authenticate"] = { description: '`Bearer error="invalid_token"`.', schema: { type: "string" } };
    out[String(status)] = {
      description: entries.map(([code, when]) => `\`${code}\`: ${when}`).join(" "),
      ...(Object.keys(headers).length ? { headers } : {}),
      content: {
        [JSON_TYPE]: {
          schema: { $ref: `${REF}Error`, properties: { error: { enum: codes } } },
          examples: Object.fromEntries(
            entries.map(([code, when]) => [
              code,
              {
                summary: when,
                value: { error: code, error_description: when, ...(code === "invalid_code" ? { attempts_remaining: 4 } : {}) },
              },
            ]),
          ),
        },
      },
    };
  }
  return out;
}

function parameters(endpoint: Endpoint): Parameter[] | undefined {
  if (!endpoint.query) return undefined;
  const schema = inlineSchema(endpoint.query, "input");
  return Object.entries(schema.properties ?? {}).map(([name, property]) => {
    const { description, example, ...rest } = property;
    return { name, in: "query" as const, required: (schema.required ?? []).includes(name), description, schema: rest, example };
  });
}

function operation(endpoint: Endpoint): Operation {
  const success: ResponseObject = {
    description: endpoint.response.description,
    ...(endpoint.response.headers
      ? { headers: Object.fromEntries(Object.entries(endpoint.response.headers).map(([name, description]) => [name, { description, schema: { type: "string" } }])) }
      : {}),
    content: { [JSON_TYPE]: { schema: { $ref: `${REF}${responseName(endpoint)}` }, example: endpoint.response.example } },
  };
  const others = Object.fromEntries(
    (endpoint.alsoAnswers ?? []).map((answer) => [
      String(answer.status),
      { description: answer.description, content: { [JSON_TYPE]: { schema: { $ref: `${REF}${responseName(endpoint)}` }, example: answer.example } } },
    ]),
  );
  return {
    operationId: endpoint.operationId,
    summary: endpoint.summary,
    description: endpoint.description,
    tags: [endpoint.tag],
    ...(endpoint.bearer ? { security: [{ bearerAuth: [] }] } : {}),
    ...(endpoint.query ? { parameters: parameters(endpoint) } : {}),
    ...(endpoint.body
      ? { requestBody: { required: true, content: { [JSON_TYPE]: { schema: { $ref: `${REF}${requestName(endpoint)}` }, example: endpoint.bodyExample } } } }
      : {}),
    responses: { [String(endpoint.response.status)]: success, ...others, ...errorResponses(endpoint) },
  };
}

function build(serverUrl: string, appName: string): OpenApiDocument {
  const requests = ENDPOINTS.filter((e) => e.body).map((e) => ({ id: requestName(e), schema: e.body as z.ZodType }));
  const named = (Object.values(responses) as z.ZodType[]).flatMap((schema): Named[] => {
    const id = idOf(schema);
    return id ? [{ id, schema }] : [];
  });
  const unnamed = ENDPOINTS.filter((e) => !idOf(e.response.schema)).map((e) => ({ id: responseName(e), schema: e.response.schema }));
  const paths: OpenApiDocument["paths"] = {};
  for (const endpoint of ENDPOINTS) paths[endpoint.path] = { ...paths[endpoint.path], [endpoint.method]: operation(endpoint) };
  return {
    openapi: "3.1.0",
    info: {
      title: `${appName} Portal API`,
      version: "1.0.0",
      description: [
        "Passwordless sign-in over JSON: a one-time code by email, SMS or voice call, a wallet signature, or a QR code approved from a signed-in phone.",
        `Requests and responses are JSON. Every error is \`{"error": "<code>", "error_description": "<sentence>"}\` with the status listed for its code, and every 429 carries \`Retry-After\` in seconds. Unknown fields are ignored; bodies over ${MAX_BODY_BYTES / 1024} KiB are refused with 413.`,
      ].join("\n\n"),
    },
    servers: [{ url: serverUrl }],
    tags: Object.entries(TAGS).map(([name, description]) => ({ name, description })),
    paths,
    components: {
      schemas: {
        ...componentSchemas(requests, "input"),
        ...componentSchemas([...named, ...unnamed, { id: "Error", schema: apiError }], "output"),
      },
      securitySchemes: {
        bearerAuth: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "JWT",
          description: "The `access_token` of a sign-in (ES256, 15 minutes), sent as `Authorization: Bearer <token>`.",
        },
      },
    },
  };
}

const built = new Map<string, OpenApiDocument>();

/** The OpenAPI 3.1 description of the API, generated from the schemas the routes validate with. */
export function openApiDocument(options: { serverUrl: string; appName: string }): OpenApiDocument {
  const key = `${options.serverUrl}\n${options.appName}`;
  let doc = built.get(key);
  if (!doc) {
    doc = build(options.serverUrl, options.appName);
    built.set(key, doc);
  }
  return doc;
}
