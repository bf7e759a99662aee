import "server-only";
import { hash, verify } from "@node-rs/argon2";

/** argon2id with the library defaults (OWASP-recommended memory/time cost). */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/**
 * A real hash to verify against when the e-mail is unknown, so a failed sign-in takes the same
 * time whether or not the account exists (no user enumeration by timing).
 */
let decoyHash: Promise<string> | undefined;
export function decoyPasswordHash(): Promise<string> {
  decoyHash ??= hash("decoy-password-for-timing");
  return decoyHash;
}
