import { z } from "zod";

/** Longer than any path the app makes; a longer `next` is not ours. */
const MAX_RETURN_PATH = 2048;

/**
 * Stands in for the app's own origin when resolving a return path. A placeholder (the reserved
 * `.invalid` TLD, RFC 2606) instead of the real host on purpose: only the path, query and hash of the
 * result are ever used, so an absolute URL, even one naming our own host, is refused, and the check
 * does not depend on Host / X-Forwarded-Host, which a client controls.
 */
const OWN_ORIGIN = "http://own-origin.invalid";

/**
 * Browsers drop TAB, CR and LF anywhere in a URL and read "\" as "/" in http(s) URLs (WHATWG URL
 * Standard, https://url.spec.whatwg.org/#concept-basic-url-parser), so "/\t/evil.example" is
 * "//evil.example" to them: a prefix check on the raw string cannot see that. Controls and
 * backslashes never appear in a path the app makes, so they are refused outright.
 */
const UNSAFE_RAW = /[\u0000-\u001f\u007f\\]/;

/**
 * Percent-encoded "/", "\" and control characters in the path: harmless to the browser, but a proxy
 * or a later decode would turn them back into the separators refused above. The app's own paths never
 * contain them (ids are UUIDs or hex, names travel in query strings).
 */
const UNSAFE_ENCODED_PATH = /%(?:2f|5c|[01][0-9a-f]|7f)/i;

/**
 * The one check of where to go after signing in: only a path on the app's own origin, returned in
 * the normalised form the browser will read. Anything else, or anything odd, goes to "/".
 * Issue 11 item 3: `next=/%09/evil.example` used to pass a `startsWith("/")` check.
 */
export function safeReturnPath(next: unknown): string {
  if (typeof next !== "string" || next.length === 0 || next.length > MAX_RETURN_PATH) return "/";
  if (!next.startsWith("/") || UNSAFE_RAW.test(next)) return "/";
  let url: URL;
  try {
    url = new URL(next, OWN_ORIGIN);
  } catch {
    return "/";
  }
  if (url.origin !== OWN_ORIGIN || UNSAFE_ENCODED_PATH.test(url.pathname)) return "/";
  const path = `${url.pathname}${url.search}${url.hash}`;
  // Dot segments can collapse into "//" ("/..//evil.example" resolves to the path "//evil.example"),
  // which a browser reads as another host: check the result as well, not only the input.
  if (path.startsWith("//") || new URL(path, OWN_ORIGIN).origin !== OWN_ORIGIN) return "/";
  return path;
}

export const SignInSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email("Enter your e-mail address")),
  password: z.string().min(1, "Enter your password").max(200, "That password is too long"),
  /** Never a field error: a bad return path is simply replaced by "/". */
  next: z.unknown().optional().transform(safeReturnPath),
});
