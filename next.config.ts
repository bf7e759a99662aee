import type { NextConfig } from "next";

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
      // Default is 1 MB. Media uploads travel through server actions as multipart bodies; the
      // largest file we accept is 20 MB (lib/media/limits.ts) and multipart framing adds a little.
      bodySizeLimit: "25mb",
    },
  },
};

export default nextConfig;
