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
 * The two documented schemes (reference §2): a Bearer token header, else `username` + `password` in the
 * body. A request that sends an Authorization header is judged by it alone.
 */
export function isAuthenticated(request: Request, params: GatewayParams, credentials: SandboxCredentials): boolean {
  const token = bearerToken(request);
  if (token !== null) return secretsMatch(token, credentials.token);
  const username = params.has("username") ? safeString(() => params.string("username")) : undefined;
  const password = params.has("password") ? safeString(() => params.string("password")) : undefined;
  if (username === undefined || password === undefined) return false;
  // Evaluate both comparisons so a wrong username costs the same time as a wrong password.
  const userOk = secretsMatch(username, credentials.username);
  const passwordOk = secretsMatch(password, credentials.password);
  return userOk && passwordOk;
}

export function hasAdminToken(request: Request, credentials: SandboxCredentials): boolean {
  const token = bearerToken(request);
  return token !== null && secretsMatch(token, credentials.token);
}

function safeString(read: () => string | undefined): string | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}
