import { test as setup } from "@playwright/test";
import { authStatePath, DEMO, signIn } from "./support/session";

// One real sign-in per demo role; specs reuse the session cookie instead of signing in per test.
for (const role of Object.keys(DEMO) as (keyof typeof DEMO)[]) {
  setup(`sign in as ${role}`, async ({ page }) => {
    await signIn(page, role);
    await page.context().storageState({ path: authStatePath(role) });
  });
}
