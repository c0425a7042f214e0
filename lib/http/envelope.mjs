// The API's error envelope (SPEC §3). Every error answer the portal gives — from
// a route, the edge, the OpenID Connect mount, next-auth or a server action — is
// built here; plain JavaScript so server.mts and the edge use it unbuilt.

/** `{error, error_description, ...fields}`; a field left undefined is left out, and none overwrites the code or sentence. */
export function errorBody(code, description, fields = {}) {
  const body = { error: code, error_description: description };
  for (const [key, value] of Object.entries(fields)) if (value !== undefined && !(key in body)) body[key] = value;
  return body;
}

/** The envelope as a response body's text. */
export function errorJson(code, description, fields = {}) {
  return JSON.stringify(errorBody(code, description, fields));
}
