import { expect, test } from "@playwright/test";
import { signIn } from "./support/session";

test("signed-out visitors are sent to sign-in", async ({ page }) => {
  await page.goto("/media");
  await expect(page).toHaveURL(/\/signin/);
  await expect(page.getByRole("heading", { name: "Sign in to MMS Campaigns" })).toBeVisible();
  await expect(page.getByLabel("Sandbox demo accounts")).toContainText("sender@example.com");
});

test("wrong password is refused with a clear message", async ({ page }) => {
  await page.goto("/signin");
  await page.getByLabel("E-mail").fill("sender@example.com");
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("main").getByRole("alert")).toHaveText("Wrong e-mail or password.");
});

test("the dashboard shell shows the gateway mode and navigates between sections", async ({ page }) => {
  await signIn(page, "admin");
  await expect(page.getByTestId("gateway-mode")).toHaveText("Sandbox");
  const nav = page.getByRole("navigation", { name: "Main" });
  for (const section of ["Media", "Compose", "History"]) {
    await nav.getByRole("link", { name: section }).click();
    await expect(page.getByRole("heading", { level: 1, name: section })).toBeVisible();
    await expect(nav.getByRole("link", { name: section })).toHaveAttribute("aria-current", "page");
  }
});
