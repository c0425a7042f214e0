import { startPortal } from "./support/portal";

// One demo portal for the whole run; specs that need another configuration start their own.
export default async function globalSetup() {
  // Specs of limits start portals of their own; this one must not limit a whole run from 127.0.0.1.
  const portal = await startPortal({ SIGN_PER_IP_PER_10_MIN: "10000", VERIFY_PER_IP_PER_10_MIN: "10000", QR_PER_IP_PER_10_MIN: "10000" });
  process.env.PORTAL_URL = portal.url;
  process.env.PORTAL_DATABASE_URL = portal.databaseUrl;
  process.env.PORTAL_LOG_FILE = portal.logFile;
  return async () => {
    await portal.stop();
  };
}
