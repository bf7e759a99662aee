/**
 * Whether a request was made by a browser on behalf of another site's page.
 *
 * A page anywhere can submit a form to the sandbox: a form post (urlencoded, multipart or text/plain)
 * needs no CORS preflight, and the sandbox takes the public demo credentials from the body and reads a
 * JSON-looking body whatever its content type says. So the sandbox refuses what a browser marks as
 * coming from elsewhere: `Sec-Fetch-Site` other than same-origin/none (Fetch Metadata,
 * https://www.w3.org/TR/fetch-metadata/#sec-fetch-site-header; `same-site` is another port or
 * subdomain, which is still another origin), or an `Origin` (sent by browsers on every cross-origin
 * POST, https://fetch.spec.whatwg.org/#origin-header) whose host is not the one the request was
 * sent to. `Origin: null` (data: URLs, sandboxed frames) is refused too.
 *
 * Server-to-server callers (this app's gateway client, curl, the official client libraries) send
 * neither header and are unaffected. A cross-origin script cannot do better either way: the sandbox
 * sends no CORS headers, so a preflighted request (JSON, Authorization) never gets through.
 */
export function isCrossSiteBrowserRequest(request: Request): boolean {
  const site = request.headers.get("sec-fetch-site")?.trim().toLowerCase();
  if (site !== undefined && site !== "same-origin" && site !== "none") return true;
  const origin = request.headers.get("origin")?.trim();
  if (origin === undefined) return false;
  // The Host header is what the browser addressed; request.url may name the server's bind address
  // instead (Next builds it from `-H`), so it is not compared.
  const host = request.headers.get("host")?.trim().toLowerCase();
  if (!host) return true;
  try {
    return new URL(origin).host !== host;
  } catch {
    return true; // "null" and anything else that is not an origin
  }
}
