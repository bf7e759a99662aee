import type { NextConfig } from "next";
import { SERVER_ACTION_BODY_LIMIT_BYTES } from "./lib/http/server-action-limits";

const nextConfig: NextConfig = {
  // Native modules must be loaded by Node at run time, not bundled.
  serverExternalPackages: ["better-sqlite3", "sharp", "@node-rs/argon2"],
  poweredByHeader: false,
  async headers() {
    return [
      {
        // Every response, API and static files included. Pages also get a nonce CSP from proxy.ts.
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
          { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
        ],
      },
    ];
  },
  experimental: {
    serverActions: {
      // Next buffers a whole action body in memory; the limit, and why it is what it is, live in
      // lib/http/server-action-limits.ts, which the browser also checks its bodies against.
      // In MB: Next quotes this value in its refusal ("Body exceeded 4mb limit").
      bodySizeLimit: `${SERVER_ACTION_BODY_LIMIT_BYTES / (1024 * 1024)}mb`,
    },
  },
};

export default nextConfig;
