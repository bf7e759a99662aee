import "server-only";
import { spawn } from "node:child_process";
import path from "node:path";
import { SANDBOX_DEMO_USERS } from "./demo-accounts";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, PASSWORD_TOO_LONG, PASSWORD_TOO_SHORT } from "./password-rules";

/** zxcvbn scores 0–4; 3 is "safely unguessable: moderate protection from offline slow-hash scenario". */
export const PASSWORD_MIN_SCORE = 3;

/** The estimator (zxcvbn-ts) runs in a child process; see estimate() for why. Resolved from the project root like the migrations. */
const ESTIMATOR = path.join(process.cwd(), "lib", "auth", "password-estimator.mjs");
const ESTIMATE_TIMEOUT_MS = 20_000;

/** The estimator could not run (an installation problem, not a weak password). */
export class PasswordCheckError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PasswordCheckError";
  }
}

type Estimate = { score: number; warning: string | null; suggestions: string[] };

/**
 * Loading zxcvbn-ts's dictionaries costs about 75 MB of resident memory for the life of the process
 * (measured on Node 20: 37 MB for the decompressed word lists, 38 MB more for the ranked lookup
 * tables), and the server's budget is 250 MB peak during a 100,000-recipient send (bench/RESULTS.md,
 * P3: 227 MB). A worker thread still left about 16 MB behind after it ended. A child process that
 * exits after one check gives everything back; the check is rare (creating a user, setting a
 * password, starting with ADMIN_PASSWORD) and takes about 0.4 s. One check runs at a time, so a burst
 * of them cannot start many processes on the shared cores.
 */
let queue: Promise<unknown> = Promise.resolve();
function estimate(password: string, userInputs: string[]): Promise<Estimate> {
  const run = () =>
    new Promise<Estimate>((resolve, reject) => {
      // A bare environment: the child needs nothing from it, and must not inherit the gateway secrets.
      const child = spawn(process.execPath, [ESTIMATOR], { env: { NODE_ENV: process.env.NODE_ENV }, stdio: ["pipe", "pipe", "pipe"], timeout: ESTIMATE_TIMEOUT_MS });
      let out = "";
      let err = "";
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => (err += chunk));
      child.on("error", (error) => reject(new PasswordCheckError(`the password strength check could not start (${error.message})`)));
      child.on("close", (code, signal) => {
        if (code !== 0) {
          const why = signal ? `stopped by ${signal}` : (err.trim().split("\n").at(-1) ?? `exit code ${code}`);
          return reject(new PasswordCheckError(`the password strength check failed (${why})`));
        }
        try {
          resolve(JSON.parse(out) as Estimate);
        } catch {
          reject(new PasswordCheckError("the password strength check gave no answer"));
        }
      });
      child.stdin.end(JSON.stringify({ password, userInputs }));
    });
  const result = queue.then(run, run);
  queue = result.catch(() => undefined);
  return result;
}

/** The words of a user's e-mail and name, which an attacker would try first, and the published demo passwords. */
function userWords({ email, name }: { email: string; name?: string }): string[] {
  const local = email.split("@")[0] ?? "";
  const parts = [
    email,
    local,
    ...local.split(/[._+-]+/),
    ...(name ? [name, ...name.split(/\s+/)] : []),
    ...SANDBOX_DEMO_USERS.map((demo) => demo.password),
  ];
  return [...new Set(parts.map((part) => part.trim().toLowerCase()).filter((part) => part.length >= 3))];
}

/**
 * Why a password may not be used, or null when it is fine: at least 12 characters and a zxcvbn
 * score of at least 3 against its common-password list, the English dictionaries and the user's own
 * e-mail and name (and the README's demo passwords). The reason is the library's warning and suggestions in plain words and never
 * repeats the password. The one password rule for every place a password is set: users.ts (create,
 * reset) and bootstrap.ts (ADMIN_PASSWORD).
 */
export async function passwordProblem(password: string, user: { email: string; name?: string }): Promise<string | null> {
  if (password.length < PASSWORD_MIN_LENGTH) return PASSWORD_TOO_SHORT;
  if (password.length > PASSWORD_MAX_LENGTH) return PASSWORD_TOO_LONG;
  const { score, warning, suggestions } = await estimate(password, userWords(user));
  if (score >= PASSWORD_MIN_SCORE) return null;
  const advice = [warning || "It follows a pattern that is quick to guess.", ...suggestions].map((line) => line.trim()).filter(Boolean);
  return `Too easy to guess: ${advice.join(" ")}`;
}
