import type { HttpMethod, JsonSchema, OpenApiDocument } from "./types";

const DATE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function resolve(doc: OpenApiDocument, ref: string): JsonSchema {
  const name = ref.replace("#/components/schemas/", "");
  const schema = doc.components.schemas[name];
  if (!schema) throw new Error(`unresolvable $ref ${ref}`);
  return schema;
}

/**
 * Checks a value against the document's JSON Schema: the keywords this
 * document uses ($ref, type, properties, required, additionalProperties,
 * items, enum, const, anyOf/oneOf/allOf, bounds, date-time). Returns the
 * problems, empty when the value matches.
 */
export function checkSchema(doc: OpenApiDocument, schema: JsonSchema, value: unknown, at = "$"): string[] {
  const problems: string[] = [];
  if (schema.$ref) problems.push(...checkSchema(doc, resolve(doc, schema.$ref), value, at));
  if (schema.allOf) for (const part of schema.allOf) problems.push(...checkSchema(doc, part, value, at));
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives && !alternatives.some((part) => checkSchema(doc, part, value, at).length === 0)) {
    problems.push(`${at}: matches none of ${alternatives.length} alternatives`);
  }
  const actual = typeOf(value);
  if (schema.type) {
    const allowed = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!allowed.includes(actual) && !(actual === "integer" && allowed.includes("number"))) return [...problems, `${at}: ${actual}, expected ${allowed.join(" | ")}`];
  }
  if (schema.enum && !schema.enum.includes(value)) problems.push(`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  if ("const" in schema && schema.const !== value) problems.push(`${at}: ${JSON.stringify(value)} is not ${JSON.stringify(schema.const)}`);
  if (typeof value === "number") {
    if (schema.minimum !== undefined && value < schema.minimum) problems.push(`${at}: ${value} < ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) problems.push(`${at}: ${value} > ${schema.maximum}`);
  }
  if (typeof value === "string") {
    if (schema.minLength !== undefined && value.length < schema.minLength) problems.push(`${at}: shorter than ${schema.minLength}`);
    if (schema.maxLength !== undefined && value.length > schema.maxLength) problems.push(`${at}: longer than ${schema.maxLength}`);
    if (schema.format === "date-time" && !DATE_TIME.test(value)) problems.push(`${at}: ${JSON.stringify(value)} is not a date-time`);
  }
  if (Array.isArray(value) && schema.items) value.forEach((item, i) => problems.push(...checkSchema(doc, schema.items as JsonSchema, item, `${at}[${i}]`)));
  if (actual === "object" && (schema.properties || schema.required || schema.additionalProperties !== undefined)) {
    const object = value as Record<string, unknown>;
    for (const key of schema.required ?? []) if (!(key in object)) problems.push(`${at}.${key}: missing`);
    for (const [key, item] of Object.entries(object)) {
      const property = schema.properties?.[key];
      if (property) problems.push(...checkSchema(doc, property, item, `${at}.${key}`));
      else if (schema.additionalProperties === false) problems.push(`${at}.${key}: not in the description`);
    }
  }
  return problems;
}

/** Checks one real answer against what the document says that endpoint answers with that status. */
export function checkResponse(doc: OpenApiDocument, answer: { method: HttpMethod; path: string; status: number; body: unknown }): string[] {
  const operation = doc.paths[answer.path]?.[answer.method];
  if (!operation) return [`${answer.method.toUpperCase()} ${answer.path} is not described`];
  const response = operation.responses[String(answer.status)];
  if (!response) return [`${answer.method.toUpperCase()} ${answer.path} is not described as answering ${answer.status}`];
  const schema = response.content?.["application/json"]?.schema;
  if (!schema) return [`${answer.method.toUpperCase()} ${answer.path} ${answer.status} has no JSON schema`];
  return checkSchema(doc, schema, answer.body);
}
