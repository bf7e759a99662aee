import { describe, expect, it } from "vitest";
import { passwordProblem } from "./password-strength";

describe("password strength", () => {
  it.each([
    ["a common password padded to 12 characters", "password1234", /commonly used password/],
    ["a keyboard row", "qwertyuiop123", /commonly used password|keyboard/i],
    ["repeated characters", "aaaaaaaaaaaaaa", /Repeated characters/],
    ["a capitalised common word with a year", "Password2024!", /commonly used password.*Capitalize more than the first letter/],
    ["the user's own name and a digit", "jan.kowalski1", /personal/],
    ["too short", "Zq8!kd", /at least 12 characters/],
    ["a published demo password", "sandbox-admin", /^Too easy to guess: /],
  ])("refuses %s with the library's reason in plain words", async (_name, password, reason) => {
    const problem = await passwordProblem(password, { email: "jan.kowalski@example.com", name: "Jan Kowalski" });
    expect(problem).toMatch(reason);
    expect(problem).toMatch(/^Too easy to guess: |^Use at least 12 characters/);
    // The reason never repeats the password itself.
    expect(problem).not.toContain(password);
  });

  it("counts the user's own e-mail and name as guessable", async () => {
    const user = { email: "marta.nowakowska@example.com", name: "Marta Nowakowska" };
    expect(await passwordProblem("nowakowska1985", { email: "x@example.com" })).toBeNull();
    expect(await passwordProblem("nowakowska1985", user)).toMatch(/^Too easy to guess: /);
  });

  it("accepts long or random passwords", async () => {
    for (const password of ["correct horse battery staple", "kx7#Vq2!mW9p", "Ocean-Lantern-Quartz-58"]) {
      expect(await passwordProblem(password, { email: "jan@example.com" }), password).toBeNull();
    }
  });

  it("accepts the passwords the test suites and the benchmark use", async () => {
    // tests/support/token-canary.json, tests/e2e/crash-resume.spec.ts, bench/run.ts, tests/e2e/admin.spec.ts
    expect(await passwordProblem("live-admin-password-1", { email: "live-admin@example.com", name: "Administrator" })).toBeNull();
    expect(await passwordProblem("crash-admin-password", { email: "crash-admin@example.com", name: "Administrator" })).toBeNull();
    expect(await passwordProblem("bench-admin-password", { email: "bench-admin@example.com", name: "Administrator" })).toBeNull();
    expect(await passwordProblem("a-first-password-123", { email: "new-sender-1@example.com", name: "New Sender" })).toBeNull();
  });

  it("refuses what is too short or too long before estimating anything", async () => {
    expect(await passwordProblem("Zq8!kd", { email: "jan@example.com" })).toBe("Use at least 12 characters.");
    expect(await passwordProblem("x".repeat(201), { email: "jan@example.com" })).toBe("That password is too long (at most 200 characters).");
  });
});
