import type { Locator, Page } from "@playwright/test";
import { expect, test as strictTest } from "./fixtures";
import { authStatePath } from "./session";

/** Composer tests run signed in as the sender (auth.setup.ts signs in once per run) with the strict CSP checks. */
export const test = strictTest.extend({
  storageState: async ({}, use) => use(authStatePath("sender")),
});

export { expect };

/** Opens the composer (each test has a fresh browser context, so the draft starts empty). */
export async function openComposer(page: Page) {
  await page.goto("/compose");
  await expectComposerReady(page);
}

/** The form is disabled until the stored draft has been read after hydration. */
export async function expectComposerReady(page: Page) {
  await expect(page.getByLabel("Title", { exact: true })).toBeEnabled();
}

export async function attachFiles(page: Page, names: string[]) {
  for (const name of names) {
    const toggle = page.getByRole("button", { name: `Attach ${name}`, exact: true });
    await toggle.click();
    await expect(toggle).toHaveAttribute("aria-pressed", "true");
  }
}

export async function expectRecipientCounts(page: Page, counts: { valid: number; invalid: number; duplicates: number; empty: number }) {
  for (const [key, value] of Object.entries(counts)) {
    await expect(page.getByTestId(`recipients-${key}`)).toHaveText(String(value));
  }
}

export function recipientsBox(page: Page): Locator {
  return page.getByLabel("Phone numbers");
}

const pad = (n: number) => String(n).padStart(2, "0");

/** A calendar day in Warsaw, `offsetDays` from today there (whatever zone the test machine is in). */
export function warsawDay(offsetDays = 0): { iso: string; year: number; month: number; day: number } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Warsaw", year: "numeric", month: "2-digit", day: "2-digit" })
      .formatToParts(new Date())
      .map((part) => [part.type, part.value]),
  );
  const shifted = new Date(Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day) + offsetDays));
  const year = shifted.getUTCFullYear();
  const month = shifted.getUTCMonth() + 1;
  const day = shifted.getUTCDate();
  return { iso: `${year}-${pad(month)}-${pad(day)}`, year, month, day };
}

/**
 * Picks a day in the schedule calendar with the keyboard only: focus today, arrow right
 * `offsetDays` times (the grid turns the month by itself), Enter.
 */
export async function chooseDayByKeyboard(page: Page, offsetDays: number) {
  const today = page.getByRole("button", { name: /^Today, / });
  await today.focus();
  for (let i = 0; i < offsetDays; i++) await page.keyboard.press("ArrowRight");
  await page.keyboard.press("Enter");
}

/** The Warsaw clock's seconds: messages that quote "now" to the minute must be compared within one minute. */
export async function awayFromMinuteBoundary(page: Page) {
  const seconds = new Date().getUTCSeconds();
  if (seconds > 45) await page.waitForTimeout((61 - seconds) * 1000);
}
