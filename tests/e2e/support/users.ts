import { expect, type Browser, type Page } from "@playwright/test";

export type TestUser = { email: string; name: string; role: "viewer" | "sender" | "admin"; password: string };

/** A user of one's own, so a test that ends sessions never ends the shared demo sessions (auth.setup.ts). */
export function uniqueUser(role: TestUser["role"], label: string): TestUser {
  const stamp = `${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  return { email: `${label}-${stamp}@example.com`, name: `Test ${label}`, role, password: "Maple-Orbit-Lantern-9341" };
}

/** Adds a user through the admin page's "Add a user" form; `page` must be signed in as an admin. */
export async function addUserAsAdmin(page: Page, user: TestUser): Promise<void> {
  await page.goto("/admin");
  const form = page.getByRole("form", { name: "Add a user" });
  await form.getByLabel("E-mail").fill(user.email);
  await form.getByLabel("Name").fill(user.name);
  await form.getByLabel(/First password/).fill(user.password);
  await form.getByLabel("Role").selectOption(user.role);
  await form.getByRole("button", { name: "Add user" }).click();
  await expect(page.getByRole("status")).toHaveText(`Created ${user.email}.`);
}

/** Signs `user` in on a page of its own (a fresh browser context = another device). */
export async function signInElsewhere(browser: Browser, user: Pick<TestUser, "email" | "password">, baseURL?: string): Promise<Page> {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] }, ...(baseURL ? { baseURL } : {}) });
  const page = await context.newPage();
  await signInWith(page, user);
  return page;
}

export async function signInWith(page: Page, user: Pick<TestUser, "email" | "password">): Promise<void> {
  await page.goto("/signin");
  await page.getByLabel("E-mail").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("current-user")).toBeVisible();
}
