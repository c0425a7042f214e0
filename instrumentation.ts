// Fail at boot, not on the first request, when the configuration is wrong; then
// start this instance's share of the housekeeping.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  const { config } = await import("./lib/config");
  config();
  const { scheduleHousekeeping } = await import("./lib/housekeeping/delete-expired");
  scheduleHousekeeping();
}
