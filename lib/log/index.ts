// The logger is plain JavaScript (lib/log/log.mjs) so server.mts shares it unbuilt.
export { currentRequestId, describeError, log, logLifecycle, redact, withRequestContext, type LogContext, type LogLevel } from "./log.mjs";
