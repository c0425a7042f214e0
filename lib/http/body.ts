import { z } from "zod";
import { ApiError } from "./errors";
import type { HotRequest } from "./hot-request";

export const MAX_BODY_BYTES = 16 * 1024;

/**
 * Reads a JSON body of at most 16 KiB; anything larger is refused with 413
 * before it is parsed. (The edge in server.mts has already capped, checked and
 * read every body; this keeps the same promise for any other caller.)
 */
export async function readJson(request: HotRequest): Promise<unknown> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw tooLarge();
  if (text.trim() === "") throw new ApiError("invalid_request", "The request body must be a JSON object.");
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError("invalid_request", "The request body is not valid JSON.");
  }
}

function tooLarge() {
  return new ApiError("payload_too_large", `Request bodies are limited to ${MAX_BODY_BYTES} bytes.`);
}

/** Parses a body against its schema; the first problem becomes a 400 naming the field. */
export function parseWith<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue.path.join(".");
  const message = issue.code === "invalid_type" && issue.path.length === 0
    ? "The request body must be a JSON object."
    : `${field ? `\`${field}\`: ` : ""}${issue.message}`;
  throw new ApiError("invalid_request", message);
}
