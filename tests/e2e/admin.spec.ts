import { expect, test } from "./support/fixtures";
import { authStatePath } from "./support/session";

test.describe("administration", () => {
  test.use({ storageState: authStatePath("admin") });

  test("an admin adds a user, changes the role (which signs that user out), and the audit log shows it all", async ({ page, browser }) => {
    const email = `new-sender-${Date.now()}@example.com`;
    const password = "a-first-password-123";
    await page.goto("/admin");
    const form = page.getByRole("form", { name: "Add a user" });
    await form.getByLabel("E-mail").fill(email);
    await form.getByLabel("Name").fill("New Sender");
    await form.getByLabel("First password (12+ characters)").fill(password);
    await form.getByLabel("Role").selectOption("sender");
    await form.getByRole("button", { name: "Add user" }).click();
    await expect(page.getByRole("status")).toHaveText(`Created ${email}.`);

    // The new user can sign in and compose.
    const other = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const userPage = await other.newPage();
    await userPage.goto("/signin");
    await userPage.getByLabel("E-mail").fill(email);
    await userPage.getByLabel("Password").fill(password);
    await userPage.getByRole("button", { name: "Sign in" }).click();
    await expect(userPage.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Compose" })).toBeVisible();

    // Demoted to viewer: the existing session ends at once.
    await page.getByLabel(`Role of ${email}`).selectOption("viewer");
    await expect(page.getByRole("status")).toHaveText(`Role of ${email} changed.`);
    // A navigation of the user's page still settling after sign-in can abort this one
    // (net::ERR_ABORTED, seen under load); going there again is what the user would do.
    await expect(async () => {
      await userPage.goto("/compose");
    }).toPass({ timeout: 15_000 });
    await expect(userPage).toHaveURL(/\/signin/);
    await other.close();

    await page.goto(`/admin/audit?actor=${encodeURIComponent(email)}`);
    const rows = page.getByRole("row");
    await expect(rows.filter({ hasText: "sign_in" })).toHaveCount(1);
    await page.goto("/admin/audit?action=user_created");
    await expect(page.getByRole("row").filter({ hasText: email })).toHaveCount(1);
    await page.goto("/admin/audit?action=user_updated");
    await expect(page.getByRole("row").filter({ hasText: email })).toContainText("role: viewer");
  });

  test("an admin cannot lock themselves out", async ({ page }) => {
    await page.goto("/admin");
    await expect(page.getByLabel("Role of admin@example.com")).toBeDisabled();
    await expect(page.getByRole("row").filter({ hasText: "admin@example.com" })).toContainText("you");
  });
});
