// Fail at boot, not on the first request, when the configuration is wrong; then
// start this instance's share of the housekeeping and hand server.mjs the routes
// it serves without Next's pipeline.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  const { config } = await import("./lib/config");
  config();
  const { scheduleHousekeeping } = await import("./lib/housekeeping/delete-expired");
  scheduleHousekeeping();
  // The API's hot paths: sign-ins and the QR poll thousands of waiting screens renew.
  const [sign, verify, qr] = await Promise.all([import("./app/v1/oauth/sign/route"), import("./app/v1/oauth/verify/route"), import("./app/v1/oauth/qr/route")]);
  (globalThis as typeof globalThis & { __werifyDirectRoutes?: Map<string, unknown> }).__werifyDirectRoutes = new Map<string, unknown>([
    ["POST /v1/oauth/sign", sign.POST],
    ["POST /v1/oauth/verify", verify.POST],
    ["POST /v1/oauth/qr", qr.POST],
  ]);
}
