export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogContext = { requestId: string };
export declare function withRequestContext<T>(context: LogContext, work: () => T): T;
export declare function currentRequestId(): string | undefined;
export declare function log(level: LogLevel, msg: string, fields?: Record<string, unknown>): void;
export declare function logLifecycle(level: LogLevel, msg: string, fields?: Record<string, unknown>): void;
export declare function redact(text: string): string;
export declare function describeError(error: unknown): string;
