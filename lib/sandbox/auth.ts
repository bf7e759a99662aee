import { createHash, timingSafeEqual } from "node:crypto";
import type { GatewayParams } from "@/lib/sandbox/params";

export type SandboxCredentials = { token: string; username: string; password: string };

/** Hashing first gives equal-length buffers, so neither the content nor the length of a secret leaks through timing. */
export function secretsMatch(given: string, expected: string): boolean {
  const a = createHash("sha256").update(given, "utf8").digest();
  const b = createHash("sha256").update(expected, "utf8").digest();
  return timingSafeEqual(a, b);
}

export function bearerToken(request: Request): string | null {
  const header = request.headers.get("authorization");
  if (header === null) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? "";
}

/**
 * The first of the two documented schemes (reference §2), judged from the headers alone so that a
 * caller with a wrong token is turned away before a byte of its body is read. A request that sends
 * an Authorization header (Bearer or not) is judged by it alone; "absent" means the credentials can
 * only be `username` + `password` in the body (bodyCredentialsMatch).
 */
export function authorizationHeader(request: Request, credentials: SandboxCredentials): "valid" | "invalid" | "absent" {
  const token = bearerToken(request);
  if (token === null) return "absent";
  return secretsMatch(token, credentials.token) ? "valid" : "invalid";
}

/** The second scheme: `username` + `password` among the body parameters. */
export function bodyCredentialsMatch(params: GatewayParams, credentials: SandboxCredentials): boolean {
  const username = params.has("username") ? safeString(() => params.string("username")) : undefined;
  const password = params.has("password") ? safeString(() => params.string("password")) : undefined;
  if (username === undefined || password === undefined) return false;
  // Evaluate both comparisons so a wrong username costs the same time as a wrong password.
  const userOk = secretsMatch(username, credentials.username);
  const passwordOk = secretsMatch(password, credentials.password);
  return userOk && passwordOk;
}

function safeString(read: () => string | undefined): string | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}
