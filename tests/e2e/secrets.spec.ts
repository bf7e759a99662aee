import fs from "node:fs";
import path from "node:path";
import { LIVE_BASE_URL } from "../../playwright.config";
import canary from "../support/token-canary.json" with { type: "json" };
import { pagePaths } from "./support/enumerate";
import { expect, test } from "./support/fixtures";

const token = Buffer.from(canary.token);

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

test("the build was made with the canary token and no browser asset contains it", () => {
  const assets = filesUnder(".next/static");
  // Prerendered pages are served to browsers as they are, so they count too.
  const prerendered = filesUnder(".next/server/app").filter((f) => /\.(html|rsc|body|meta)$/.test(f));
  expect(assets.length).toBeGreaterThan(10);
  const leaks = [...assets, ...prerendered].filter((file) => fs.readFileSync(file).includes(token));
  expect(leaks).toEqual([]);
});

test.describe("live mode with a real gateway token", () => {
  test.use({ baseURL: LIVE_BASE_URL });

  test("no page, API answer or server log line contains the token", async ({ page, request }) => {
    const seen: { url: string; leaked: boolean }[] = [];
    page.on("response", async (response) => {
      try {
        const body = await response.body();
        seen.push({ url: response.url(), leaked: body.includes(token) || JSON.stringify(response.headers()).includes(canary.token) });
      } catch {
        // Redirects and aborted requests have no body to check.
      }
    });

    // A file in the (sandbox-backed) gateway so the composer and a test send have something to work with.
    const png = fs.readFileSync("tests/fixtures/media/" + fs.readdirSync("tests/fixtures/media").find((f) => f.endsWith(".png"))!);
    const added = await request.post("/sandbox-api/files/add", {
      headers: { authorization: `Bearer ${canary.token}` },
      data: { type: "mms", file: png.toString("base64"), name: "live.png" },
    });
    const fileId = ((await added.json()) as { id: string }).id;

    await page.goto("/signin");
    await page.getByLabel("E-mail").fill(canary.adminEmail);
    await page.getByLabel("Password").fill(canary.adminPassword);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByTestId("gateway-mode")).toContainText("SerwerSMS live");

    for (const { url } of pagePaths()) {
      await page.goto(url);
    }
    const started = await page.request.post("/api/campaigns", {
      headers: { origin: LIVE_BASE_URL },
      data: {
        title: "Secret check",
        fileIds: [fileId],
        recipients: ["+48500600700"],
        schedule: { mode: "now" },
        test: true,
        idempotencyKey: crypto.randomUUID(),
      },
    });
    const { campaignId } = (await started.json()) as { campaignId: string };
    expect(campaignId).toBeTruthy();
    for (const url of ["/api/media", "/api/account/limits", "/api/campaigns", `/api/campaigns/${campaignId}`, `/api/campaigns/${campaignId}/recipients`, `/api/campaigns/${campaignId}/export`]) {
      const response = await page.request.get(url);
      expect(response.status(), url).toBe(200);
      seen.push({ url, leaked: (await response.body()).includes(token) || JSON.stringify(response.headers()).includes(canary.token) });
    }
    await page.goto(`/history/${campaignId}`);

    expect(seen.length).toBeGreaterThan(20);
    expect(seen.filter((r) => r.leaked).map((r) => r.url)).toEqual([]);
    const log = fs.readFileSync(".data-e2e-live/server.log");
    expect(log.length).toBeGreaterThan(0);
    expect(log.includes(token)).toBe(false);
  });
});
