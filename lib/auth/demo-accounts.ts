import type { Role } from "./roles";

/**
 * Demo accounts, created only in sandbox mode so a fresh clone can be tried at once. Their passwords
 * are published in the README, so start-up disables them in live mode (bootstrap.ts) and no account
 * may take one of them as its password (password-strength.ts).
 */
export const SANDBOX_DEMO_USERS: { email: string; password: string; name: string; role: Role }[] = [
  { email: "admin@example.com", password: "sandbox-admin", name: "Demo Admin", role: "admin" },
  { email: "sender@example.com", password: "sandbox-sender", name: "Demo Sender", role: "sender" },
  { email: "viewer@example.com", password: "sandbox-viewer", name: "Demo Viewer", role: "viewer" },
];
