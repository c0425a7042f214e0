export type ErrorEnvelope<C extends string = string, F extends Record<string, unknown> = Record<string, unknown>> = { error: C; error_description: string } & F;
export declare function errorBody<C extends string, F extends Record<string, unknown> = Record<string, never>>(code: C, description: string, fields?: F): ErrorEnvelope<C, F>;
export declare function errorJson(code: string, description: string, fields?: Record<string, unknown>): string;
