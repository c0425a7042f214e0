import type { NextConfig } from "next";
import { securityHeaders } from "./lib/http/security-headers.mjs";


const nextConfig: NextConfig = {
  // Parallel builds (e.g. several developers' e2e runs in one tree) each get their own folder.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  poweredByHeader: false,
  reactStrictMode: true,
  // `npm test` type-checks the whole tree first; the build need not do it again.
  typescript: { ignoreBuildErrors: true },
  // Route modules load on their first request instead of all at start: an instance
  // that mostly answers the API never holds the docs, account and OIDC pages (~25 MB less RSS).
  experimental: { preloadEntriesOnStart: false },
  serverExternalPackages: ["better-sqlite3", "@prisma/adapter-better-sqlite3", "@prisma/adapter-pg", "pg", "oidc-provider", "nodemailer", "bip322-js", "secp256k1"],
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
};

export default nextConfig;
