import type { HttpMethod, JsonSchema, OpenApiDocument, Operation } from "@/lib/openapi/types";

// Turns the OpenAPI document into what the reference page shows: field
// lists, error lists and a curl command per endpoint. Pure functions of the
// document, so the page can never say something the document does not.

export type Field = { name: string; type: string; required: boolean; description?: string; example?: string; constraints?: string };
export type FieldGroup = { title?: string; description?: string; fields: Field[] };
export type ErrorRow = { status: string; code: string; when: string };
export type EndpointView = {
  id: string;
  method: HttpMethod;
  path: string;
  operation: Operation;
  bearer: boolean;
  parameters: Field[];
  body: FieldGroup[];
  bodyExample?: unknown;
  success: { status: string; description: string; example: unknown; fields: FieldGroup[] };
  others: { status: string; description: string; example: unknown }[];
  errors: ErrorRow[];
  curl: string;
};

function refName(ref: string): string {
  return ref.replace("#/components/schemas/", "");
}

function resolve(doc: OpenApiDocument, schema: JsonSchema): JsonSchema {
  return schema.$ref ? resolve(doc, doc.components.schemas[refName(schema.$ref)] ?? {}) : schema;
}

export function typeLabel(doc: OpenApiDocument, schema: JsonSchema): string {
  if (schema.$ref) {
    const target = resolve(doc, schema);
    return target.type === "object" || target.anyOf ? refName(schema.$ref) : typeLabel(doc, target);
  }
  if ("const" in schema) return JSON.stringify(schema.const);
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(" | ");
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return [...new Set(alternatives.map((s) => typeLabel(doc, s)))].join(" | ");
  if (schema.type === "array") return `${schema.items ? typeLabel(doc, schema.items) : "any"}[]`;
  if (Array.isArray(schema.type)) return schema.type.join(" | ");
  if (schema.format === "date-time") return "string (date-time)";
  return schema.type ?? "any";
}

function constraints(schema: JsonSchema): string | undefined {
  const parts: string[] = [];
  if (schema.minLength !== undefined || schema.maxLength !== undefined) {
    parts.push(schema.minLength && schema.maxLength ? `${schema.minLength}–${schema.maxLength} characters` : schema.maxLength ? `at most ${schema.maxLength} characters` : `at least ${schema.minLength} characters`);
  }
  if (schema.minimum !== undefined && schema.maximum !== undefined) parts.push(`${schema.minimum}–${schema.maximum}`);
  else if (schema.minimum !== undefined && schema.minimum > 0) parts.push(`at least ${schema.minimum}`);
  if (schema.default !== undefined) parts.push(`default ${JSON.stringify(schema.default)}`);
  return parts.length ? parts.join(", ") : undefined;
}

function exampleText(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** One row per field, nested objects and arrays of objects spelled out as `user.identities[].type`. */
export function fields(doc: OpenApiDocument, schema: JsonSchema, examples: unknown, prefix = ""): Field[] {
  const object = resolve(doc, schema);
  const rows: Field[] = [];
  for (const [key, property] of Object.entries(object.properties ?? {})) {
    const name = `${prefix}${key}`;
    const target = resolve(doc, property);
    const example = examples && typeof examples === "object" && !Array.isArray(examples) ? (examples as Record<string, unknown>)[key] : undefined;
    rows.push({
      name,
      type: typeLabel(doc, property),
      required: (object.required ?? []).includes(key),
      description: property.description ?? target.description,
      example: target.type === "object" || target.type === "array" ? undefined : exampleText(property.example ?? target.example ?? example),
      constraints: constraints(target),
    });
    if (target.type === "object" && target.properties) rows.push(...fields(doc, target, example, `${name}.`));
    const items = target.type === "array" && target.items ? resolve(doc, target.items) : undefined;
    if (items?.type === "object") rows.push(...fields(doc, items, Array.isArray(example) ? example[0] : undefined, `${name}[].`));
  }
  return rows;
}

/** A union (one of several shapes) becomes one group per shape, titled by its schema name. */
export function fieldGroups(doc: OpenApiDocument, schema: JsonSchema, example: unknown): FieldGroup[] {
  const target = resolve(doc, schema);
  const alternatives = target.anyOf ?? target.oneOf;
  if (!alternatives) return [{ fields: fields(doc, target, example) }];
  return alternatives.map((alternative) => ({
    title: alternative.$ref ? refName(alternative.$ref) : undefined,
    description: resolve(doc, alternative).description,
    fields: fields(doc, alternative, undefined),
  }));
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The curl command for an endpoint, from its server, parameters, security and request example. */
export function curlCommand(doc: OpenApiDocument, method: HttpMethod, path: string, operation: Operation): string {
  const query = (operation.parameters ?? [])
    .filter((p) => p.in === "query" && p.example !== undefined)
    .map((p) => `${encodeURIComponent(p.name)}=${encodeURIComponent(String(p.example))}`)
    .join("&");
  const url = `${doc.servers[0]?.url ?? ""}${path}${query ? `?${query}` : ""}`;
  const lines = [method === "get" ? `curl ${query ? shellQuote(url) : url}` : `curl -X ${method.toUpperCase()} ${url}`];
  if (operation.security?.length) lines.push(`-H "authorization: Bearer $ACCESS_TOKEN"`);
  const body = operation.requestBody?.content["application/json"];
  if (body) {
    lines.push(`-H 'content-type: application/json'`);
    lines.push(`-d ${shellQuote(JSON.stringify(body.example ?? {}))}`);
  }
  return lines.join(" \\\n  ");
}

export function endpointViews(doc: OpenApiDocument): EndpointView[] {
  const views: EndpointView[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(item) as [HttpMethod, Operation][]) {
      const statuses = Object.entries(operation.responses);
      const [successStatus, success] = statuses.find(([status]) => status.startsWith("2")) ?? ["200", { description: "" }];
      const successMedia = success.content?.["application/json"];
      const bodyMedia = operation.requestBody?.content["application/json"];
      const errors: ErrorRow[] = [];
      const others: EndpointView["others"] = [];
      for (const [status, response] of statuses) {
        if (status === successStatus) continue;
        const media = response.content?.["application/json"];
        if (media?.examples) {
          for (const [code, example] of Object.entries(media.examples)) errors.push({ status, code, when: example.summary ?? "" });
        } else others.push({ status, description: response.description, example: media?.example });
      }
      views.push({
        id: operation.operationId,
        method,
        path,
        operation,
        bearer: !!operation.security?.length,
        parameters: (operation.parameters ?? []).map((p) => ({
          name: p.name,
          type: typeLabel(doc, p.schema),
          required: p.required,
          description: p.description,
          example: exampleText(p.example),
          constraints: constraints(p.schema),
        })),
        body: bodyMedia ? fieldGroups(doc, bodyMedia.schema, bodyMedia.example) : [],
        bodyExample: bodyMedia?.example,
        success: {
          status: successStatus,
          description: success.description,
          example: successMedia?.example,
          fields: successMedia ? fieldGroups(doc, successMedia.schema, successMedia.example) : [],
        },
        others,
        errors,
        curl: curlCommand(doc, method, path, operation),
      });
    }
  }
  return views;
}
