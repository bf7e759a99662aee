import { expect, type Page } from "@playwright/test";

export const DEMO = {
  admin: { email: "admin@example.com", password: "sandbox-admin" },
  sender: { email: "sender@example.com", password: "sandbox-sender" },
  viewer: { email: "viewer@example.com", password: "sandbox-viewer" },
} as const;

export async function signIn(page: Page, role: keyof typeof DEMO, next = "/") {
  await page.goto(`/signin?next=${encodeURIComponent(next)}`);
  await page.getByLabel("E-mail").fill(DEMO[role].email);
  await page.getByLabel("Password").fill(DEMO[role].password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("current-user")).toBeVisible();
}

/** Where auth.setup.ts keeps each role's signed-in browser state (cookies) for this run. */
export function authStatePath(role: keyof typeof DEMO): string {
  return `test-results/.auth/${role}.json`;
}
