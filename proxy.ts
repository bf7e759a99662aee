import { type NextRequest, NextResponse } from "next/server";
import { getConfig } from "@/lib/config/env";
import { withTransportSecurity } from "@/lib/http/transport";

/**
 * A per-request nonce Content-Security-Policy for HTML pages. Next.js reads the nonce from the
 * request's CSP header and puts it on its own inline bootstrap scripts, so no 'unsafe-inline' is
 * needed for scripts. Styles keep 'unsafe-inline' because React renders `style` attributes
 * (progress bars, virtualised lists) and a nonce cannot cover attributes; styles cannot run code.
 */
export function buildContentSecurityPolicy(nonce: string, dev: boolean): string {
  return [
    "default-src 'self'",
    // 'unsafe-eval' only in `next dev` (React's dev tooling); never in a production build.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "font-src 'self'",
    "connect-src 'self'",
    // The XLSX reader inflates big sheets in a nested worker created from a blob: URL.
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export function proxy(request: NextRequest) {
  const nonce = btoa(crypto.randomUUID());
  const csp = buildContentSecurityPolicy(nonce, process.env.NODE_ENV === "development");
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("content-security-policy", csp);
  // HSTS for pages; route handlers add it in lib/server/guard.ts (they skip this proxy).
  return withTransportSecurity(response, getConfig().http, request.headers);
}

export const config = {
  matcher: [
    {
      // Pages only: API routes, the sandbox gateway and static files set their own headers.
      // Server-action POSTs skip the proxy so its 10 MB body cap never applies to uploads.
      source: "/((?!api/|sandbox-api/|_next/static|_next/image|favicon.ico).*)",
      missing: [
        { type: "header", key: "next-action" },
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
