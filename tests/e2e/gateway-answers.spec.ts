import fs from "node:fs";
import type { Page } from "@playwright/test";
import { type FakeGateway, freePort, startFakeGateway } from "@/tests/support/fake-gateway";
import { AppProcess } from "./support/app-process";
import { expect, test } from "./support/fixtures";
import { fileInput, fixtureFile, libraryCard, libraryCards, uploadRow, waitForDropzone } from "./support/media";

/**
 * The app in live mode against a tiny fake SerwerSMS that answers what the sandbox never does
 * (issue 12, items 2 and 4): odd items in files/index and account/limits, and a file refusal with
 * a code the app does not know. The pages must still render what could be read, say what could
 * not, and show the gateway's own words.
 */

const DATA_DIR = ".data-e2e-answers";
const ADMIN = { email: "answers-admin@example.com", password: "answers-admin-password" };
const FILE = (id: string, name: string, extra: Record<string, unknown> = {}) => ({ id, name, size: 2048, type: "mms", date: "2026-11-25 10:00:00", ...extra });

let gateway: FakeGateway;
let app: AppProcess;

test.beforeAll(async () => {
  AppProcess.freshDataDir(DATA_DIR);
  gateway = await startFakeGateway({
    "files/index": (body) =>
      body.type === "voice"
        ? { items: [{ id: "cccccccccc", name: "greeting.wav", size: 4000, type: "voice", date: "2026-11-20 09:00:00" }, { name: "no-id.wav" }] }
        : {
            items: [
              FILE("aaaaaaaaa1", "autumn-banner.png"),
              { name: "lost-id.png", size: 10, type: "mms", date: "2026-11-25 10:00:00" },
              FILE("aaaaaaaaa2", "no-size-leaflet.pdf", { size: null, date: null }),
              FILE("aaaaaaaaa3", "broken-size.jpg", { size: "big" }),
              { ...FILE("0", "numeric-id.gif"), id: 4711 },
            ],
          },
    "account/limits": {
      account: { type: "prepaid" },
      items: [
        { type: "eco", chars_limit: "918/6", value: "no_limit" },
        { type: "mms", chars_limit: "40/1", value: null },
      ],
    },
    "files/add": { error: { code: 4321, type: "FileError", message: "Plik jest uszkodzony" } },
    "error/4321": { error: { code: 4321, type: "FileError", message: "The file could not be converted for MMS" } },
  });
  app = new AppProcess(await freePort(), {
    DATA_DIR,
    SERWERSMS_API_URL: gateway.baseUrl,
    SERWERSMS_TOKEN: "answers-e2e-gateway-token",
    SANDBOX_ENABLED: "0",
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
  });
  await app.start();
});

test.afterAll(async () => {
  await app?.kill();
  await gateway?.close();
  fs.rmSync(DATA_DIR, { recursive: true, force: true });
});

async function signInAsAdmin(page: Page): Promise<void> {
  await page.goto(`${app.baseURL}/signin`);
  await page.getByLabel("E-mail").fill(ADMIN.email);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("current-user")).toBeVisible();
}

test.describe("odd gateway answers", () => {
  test("the media library shows the files it could read and says how many it could not", async ({ page }) => {
    await signInAsAdmin(page);
    await page.goto(`${app.baseURL}/media`);
    await expect(page.getByRole("heading", { level: 1, name: "Media" })).toBeVisible();

    await expect(libraryCards(page)).toHaveCount(3);
    await expect(libraryCard(page, "autumn-banner.png")).toBeVisible();
    await expect(libraryCard(page, "numeric-id.gif")).toBeVisible();
    const undated = libraryCard(page, "no-size-leaflet.pdf");
    await expect(undated).toContainText("size unknown");
    await expect(undated).toContainText("Upload date unknown");
    await expect(page.getByRole("tab", { name: "MMS files (3)" })).toBeVisible();
    await expect(page.getByTestId("library-unreadable")).toHaveText(/^2 files in the gateway's answer could not be read and are not shown\./);

    // The voice tab is fetched by the browser: the note follows that answer, not the server render.
    await page.getByRole("tab", { name: /Voice files/ }).click();
    await expect(page.getByRole("list", { name: "Voice files" }).getByRole("listitem")).toHaveCount(1);
    await expect(page.getByTestId("library-unreadable")).toHaveText(/^1 file in the gateway's answer could not be read and is not shown\./);
  });

  test("the composer says the MMS credit could not be read instead of calling it unavailable", async ({ page }) => {
    await signInAsAdmin(page);
    await page.goto(`${app.baseURL}/compose`);
    await expect(page.getByTestId("mms-left")).toHaveText("Could not be read from the gateway's answer");
  });

  test("a file refused with a code the app does not know shows the gateway's words and its description of the code", async ({ page }) => {
    await signInAsAdmin(page);
    await page.goto(`${app.baseURL}/media`);
    await waitForDropzone(page);
    await fileInput(page).setInputFiles([fixtureFile("banner.png", "refused-banner.png")]);
    const row = uploadRow(page, "refused-banner.png");
    await expect(row).toHaveAttribute("data-status", "refused", { timeout: 20_000 });
    await expect(row.getByTestId("upload-message")).toHaveText(
      'The gateway refused "refused-banner.png": Plik jest uszkodzony (4321: a code this app does not know; the gateway describes it as “The file could not be converted for MMS”)',
    );
    expect(gateway.calls.filter((call) => call.action === "error/4321")).toHaveLength(1);
  });
});
