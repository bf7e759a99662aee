import { test as base, expect } from "@playwright/test";

/**
 * Every e2e test runs with this page fixture: a Content-Security-Policy violation or an uncaught
 * page error fails the test, so a CSP that blocks the app (or an inline script slipping in) is caught.
 */
export const test = base.extend<{ strictPage: void }>({
  strictPage: [
    async ({ page }, use) => {
      const problems: string[] = [];
      page.on("console", (message) => {
        if (message.type() === "error" && /Content Security Policy|Refused to (execute|load|apply)/i.test(message.text())) {
          problems.push(message.text());
        }
      });
      page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
      await use();
      expect(problems, "CSP violations or page errors").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
