// @ts-check
// Plain JavaScript on purpose: a next.config.ts makes every `next start` load Next's SWC compiler
// (~24 MiB of resident memory for the server's whole life) just to transpile this file.

/** @type {import("next").NextConfig} */
const nextConfig = {
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
      // Default is 1 MB, and Next buffers a whole action body in memory, so this is also the most
      // one request can make the server hold. Two callers need more than the default:
      //  - media uploads go in 2 MiB chunks (UPLOAD_CHUNK_BYTES, lib/media/upload-schemas.ts) as
      //    multipart bodies: one chunk plus a few hundred bytes of framing;
      //  - the composer posts up to 100,000 recipients, about 1.8 MB of JSON.
      // 4 MB leaves about twice the largest body as headroom; whole 20 MB files never travel in one body.
      bodySizeLimit: "4mb",
    },
  },
};

export default nextConfig;
