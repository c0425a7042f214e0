import type { NextConfig } from "next";
import { securityHeaders } from "./lib/http/security-headers.mjs";


const nextConfig: NextConfig = {
  // Parallel builds (e.g. several developers' e2e runs in one tree) each get their own folder.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  poweredByHeader: false,
  reactStrictMode: true,
  // `npm test` type-checks the whole tree first; the build need not do it again.
  typescript: { ignoreBuildErrors: true },
  serverExternalPackages: ["better-sqlite3", "@prisma/adapter-better-sqlite3", "@prisma/adapter-pg", "pg", "oidc-provider", "nodemailer", "bip322-js", "secp256k1"],
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
};

export default nextConfig;
