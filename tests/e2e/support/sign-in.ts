import { type Browser, expect, type Page } from "@playwright/test";
import { authStatePath } from "./session";

/** The sign-in form's answer: "signed in", or the text of its alert (wrong password, throttled, …). */
export async function submitSignIn(page: Page, email: string, password: string, next?: string): Promise<string> {
  // A fresh page load per attempt: the alert would otherwise still show the previous answer.
  await page.goto(next === undefined ? "/signin" : `/signin?next=${encodeURIComponent(next)}`);
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  const alert = page.getByRole("main").getByRole("alert");
  const signedIn = page.getByTestId("current-user");
  await expect(signedIn.or(alert.filter({ hasText: /\S/ }))).toBeVisible();
  return (await signedIn.isVisible()) ? "signed in" : ((await alert.textContent()) ?? "").trim();
}

export const THROTTLED = /^Too many sign-in attempts\. Try again in \d+ s\.$/;
export const WRONG = "Wrong e-mail or password.";

/** A user of our own, added through the admin page (signed in as the demo admin of the main e2e server). */
export async function addUserAsAdmin(browser: Browser, user: { email: string; password: string; role?: "viewer" | "sender" | "admin" }) {
  const context = await browser.newContext({ storageState: authStatePath("admin") });
  const page = await context.newPage();
  await page.goto("/admin");
  const form = page.getByRole("form", { name: "Add a user" });
  await form.getByLabel("E-mail").fill(user.email);
  await form.getByLabel("Name").fill(user.email.split("@")[0]!);
  await form.getByLabel("First password (12+ characters)").fill(user.password);
  await form.getByLabel("Role").selectOption(user.role ?? "viewer");
  await form.getByRole("button", { name: "Add user" }).click();
  await expect(page.getByRole("status")).toHaveText(`Created ${user.email}.`);
  await context.close();
}
