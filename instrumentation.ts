// Fail at boot, not on the first request, when the configuration is wrong; then
// start this instance's share of the housekeeping and hand server.mjs the routes
// it serves without Next's pipeline.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  const { config } = await import("./lib/config");
  config();
  const { scheduleHousekeeping } = await import("./lib/housekeeping/delete-expired");
  scheduleHousekeeping();
  const qr = await import("./app/v1/oauth/qr/route");
  (globalThis as typeof globalThis & { __werifyDirectRoutes?: Map<string, unknown> }).__werifyDirectRoutes = new Map([["POST /v1/oauth/qr", qr.POST]]);
}
