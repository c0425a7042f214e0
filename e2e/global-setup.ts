import { startPortal } from "./support/portal";

// One demo portal for the whole run; specs that need another configuration start their own.
export default async function globalSetup() {
  const portal = await startPortal();
  process.env.PORTAL_URL = portal.url;
  process.env.PORTAL_DATABASE_URL = portal.databaseUrl;
  process.env.PORTAL_LOG_FILE = portal.logFile;
  return async () => {
    await portal.stop();
  };
}
