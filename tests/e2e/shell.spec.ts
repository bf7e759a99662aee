import { expect, test } from "./support/fixtures";
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

test("pages carry a nonce Content-Security-Policy and security headers", async ({ page }) => {
  const response = await page.goto("/signin");
  const headers = response!.headers();
  const csp = headers["content-security-policy"] ?? "";
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(csp).not.toContain("'unsafe-eval'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  const nonce = /'nonce-([^']+)'/.exec(csp)![1];
  // Every inline script Next.js emitted carries this response's nonce.
  const inlineScripts = await page.locator("script:not([src])").evaluateAll((nodes) => nodes.map((n) => (n as HTMLScriptElement).nonce));
  expect(inlineScripts.length).toBeGreaterThan(0);
  expect(inlineScripts.every((value) => value === nonce)).toBe(true);
});

test("an unknown address shows a plain 404 page that works under the CSP", async ({ page }) => {
  const response = await page.goto("/no-such-page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
});
