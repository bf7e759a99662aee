import { randomUUID } from "node:crypto";
import type { APIRequestContext, Page } from "@playwright/test";
import { E2E_BASE_URL, E2E_DATA_DIR, LIVE_BASE_URL } from "../../playwright.config";
import { attachFiles, expect, openComposer, recipientsBox, test } from "./support/compose";
import { addLibraryFile, ledgerFor, readLedger, sandboxStats } from "./support/gateway";
import { fileInput, openMedia, uploadRow } from "./support/media";
import {
  actionAnswer,
  breakNextActionBody,
  findAction,
  logSince,
  logSize,
  postFormAction,
  postRawAction,
} from "./support/server-action";
import { authStatePath } from "./support/session";

/**
 * Issue 11, items 2, 8 and 9: a 100 000-number list sent from the composer, idempotency keys bound
 * to their user and request, and server-action bodies over the limit or malformed.
 */

const RUN = Date.now().toString(36).slice(-5);
let file: { id: string; name: string };

// Always in the main (sandbox-mode) server's library, also for the live-server tests below.
test.beforeAll(async ({ playwright }) => {
  const api = await playwright.request.newContext({ baseURL: E2E_BASE_URL });
  file = await addLibraryFile(api, "banner.png", `hc${RUN}-banner.png`);
  await api.dispose();
});

/** `count` distinct valid Polish mobile numbers in E.164. */
function numbers(count: number, prefix = "+48500"): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(6, "0")}`);
}

async function campaignCount(page: Page): Promise<number> {
  return ((await (await page.request.get("/api/campaigns?pageSize=1")).json()) as { total: number }).total;
}

/** What must not move when a request is refused: stored campaigns, the gateway's ledger and its send counters. */
async function snapshot(page: Page, request: APIRequestContext) {
  const stats = await sandboxStats(request);
  return { campaigns: await campaignCount(page), ledger: (await readLedger(request)).length, sends: [stats.sendMmsCalls, stats.sendMmsTestCalls] };
}

/** Pastes `text` into the recipients box with the real clipboard and Ctrl+V, as staff do. */
async function pasteRecipients(page: Page, text: string) {
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: test.info().project.use.baseURL! });
  await page.evaluate((clip) => navigator.clipboard.writeText(clip), text);
  await recipientsBox(page).focus();
  await page.keyboard.press("Control+V");
}

function startCampaignAction() {
  return findAction("startCampaign", "app/(dashboard)/compose/actions.ts");
}

/** The composer's request as its FormData carries it: small JSON fields, and the numbers as one text part. */
function campaignForm(fields: Record<string, unknown>, recipients: string[]) {
  return {
    request: JSON.stringify(fields),
    recipients: { name: "recipients.txt", mimeType: "text/plain", buffer: Buffer.from(recipients.join("\n")) },
  };
}

test("100 000 pasted numbers are sent from the composer; the sandbox ledger holds each exactly once", async ({ page, request }) => {
  test.setTimeout(300_000);
  const title = `Hundred thousand ${RUN}`;
  const list = numbers(100_000);
  const statsBefore = await sandboxStats(request);
  await openComposer(page);
  await attachFiles(page, [file.name]);
  await page.getByLabel("Title", { exact: true }).fill(title);
  await pasteRecipients(page, list.join("\n"));
  await expect(page.getByTestId("recipients-valid")).toHaveText("100,000", { timeout: 30_000 });

  await page.getByRole("button", { name: "Send", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Send this MMS now?" });
  await dialog.getByRole("button", { name: "Send to 100,000 recipients" }).click();

  const results = page.getByTestId("campaign-results");
  await expect(results.getByTestId("campaign-status")).toHaveText("Completed", { timeout: 240_000 });
  await expect(page.getByTestId("compose-notice")).toHaveCount(0);

  const ledger = await ledgerFor(request, title);
  expect(ledger).toHaveLength(100_000);
  expect(new Set(ledger.map((entry) => entry.phone)).size).toBe(100_000);
  expect(ledger.map((entry) => entry.phone).sort()).toEqual(list);
  // 500 requests of 200 numbers: nothing was sent twice, nothing was left out.
  expect((await sandboxStats(request)).sendMmsCalls - statsBefore.sendMmsCalls).toBe(500);

  const href = await results.getByRole("link", { name: "Open in history" }).getAttribute("href");
  const campaignId = decodeURIComponent(href!.split("/").pop()!);
  const { summary } = (await (await page.request.get(`/api/campaigns/${campaignId}`)).json()) as {
    summary: { recipientCount: number; recipients: Record<string, number> };
  };
  expect(summary.recipientCount).toBe(100_000);
  expect(summary.recipients.queued).toBe(100_000);
});

test("100 001 pasted numbers get “At most 100 000 recipients” in the composer; nothing is stored or sent", async ({ page, request }) => {
  test.setTimeout(120_000);
  const title = `Too many ${RUN}`;
  await openComposer(page);
  await attachFiles(page, [file.name]);
  await page.getByLabel("Title", { exact: true }).fill(title);
  await pasteRecipients(page, numbers(100_001).join("\n"));
  await expect(page.getByTestId("recipients-valid")).toHaveText("100,001", { timeout: 30_000 });
  const before = await snapshot(page, request);

  await page.getByRole("button", { name: "Send", exact: true }).click();
  await expect(page.locator("#compose-recipients-error")).toContainText("At most 100 000 recipients per campaign; this list has 100 001.");
  await expect(page.getByTestId("compose-notice")).toContainText("Nothing was sent");
  await expect(page.getByRole("dialog")).toHaveCount(0);
  expect(await snapshot(page, request)).toEqual(before);
  expect(await ledgerFor(request, title)).toEqual([]);
});

test("the send action itself refuses 100 001 numbers and an oversized list with a field error; nothing is stored or sent", async ({
  page,
  request,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const before = await snapshot(page, request);
  const fields = { title: `Server refusal ${RUN}`, fileIds: [file.id], schedule: { mode: "now" }, test: false, idempotencyKey: randomUUID() };

  const tooMany = await postFormAction(page.request, baseURL!, startCampaignAction(), campaignForm(fields, numbers(100_001)));
  expect(tooMany.status).toBe(200);
  const refused = actionAnswer<{ ok: boolean; code: string; fieldErrors: Record<string, string[]> }>(tooMany.text);
  expect(refused).toMatchObject({ ok: false, code: "invalid" });
  expect(refused!.fieldErrors.recipients).toEqual(["At most 100 000 recipients per campaign; this list has 100 001. Split it into several campaigns."]);

  // 100 000 entries that cannot all be phone numbers: more bytes than any 100 000 E.164 numbers take.
  const padded = Array.from({ length: 100_000 }, (_, i) => `+48500${String(i).padStart(6, "0")}${"9".repeat(10)}`);
  const oversized = actionAnswer<{ ok: boolean; code: string; fieldErrors: Record<string, string[]> }>(
    (await postFormAction(page.request, baseURL!, startCampaignAction(), campaignForm({ ...fields, idempotencyKey: randomUUID() }, padded))).text,
  );
  expect(oversized).toMatchObject({ ok: false, code: "invalid" });
  expect(oversized!.fieldErrors.recipients?.[0]).toMatch(/^At most 100 000 recipients per campaign; this list is .* larger than 100 000 phone numbers can be/);

  expect(await snapshot(page, request)).toEqual(before);
});

test("an idempotency key is bound to its user and request: another request or another user with the same key is refused", async ({
  page,
  request,
  baseURL,
  browser,
}) => {
  const key = randomUUID();
  const origin = baseURL!;
  const body = { title: `Keyed ${RUN}`, fileIds: [file.id], recipients: numbers(3, "+48501"), schedule: { mode: "now" }, test: false, idempotencyKey: key };
  const first = await page.request.post("/api/campaigns", { headers: { origin }, data: body });
  const started = (await first.json()) as { ok: boolean; campaignId: string; created: boolean };
  expect(started).toMatchObject({ ok: true, created: true });

  // The same request again (a retry after a lost answer): the first campaign, nothing new.
  const again = (await (await page.request.post("/api/campaigns", { headers: { origin }, data: body })).json()) as typeof started;
  expect(again).toEqual({ ok: true, campaignId: started.campaignId, created: false });
  await expect.poll(async () => (await ledgerFor(request, body.title)).length).toBe(3);
  const before = await snapshot(page, request);

  // The same key with other content: refused, not answered with the first campaign.
  const otherTitle = `Keyed other ${RUN}`;
  const changed = await page.request.post("/api/campaigns", { headers: { origin }, data: { ...body, title: otherTitle } });
  expect(changed.status()).toBe(409);
  const changedAnswer = (await changed.json()) as { ok: boolean; code: string; message: string; campaignId?: string };
  expect(changedAnswer).toMatchObject({ ok: false, code: "conflict" });
  expect(changedAnswer.message).toMatch(/already used for a different request.*Nothing was sent/);
  expect(changedAnswer.campaignId).toBeUndefined();

  // The same key and content from another user: refused too, without naming the other campaign.
  const admin = await browser.newContext({ storageState: authStatePath("admin"), baseURL: origin });
  const stolen = await admin.request.post("/api/campaigns", { headers: { origin }, data: body });
  expect(stolen.status()).toBe(409);
  const stolenAnswer = (await stolen.json()) as { ok: boolean; code: string; message: string };
  expect(stolenAnswer).toMatchObject({ ok: false, code: "conflict" });
  expect(stolenAnswer.message).toMatch(/another user.*Nothing was sent/);
  expect(JSON.stringify(stolenAnswer)).not.toContain(started.campaignId);

  // The composer's own action path keeps the same rule.
  const viaAction = actionAnswer<{ ok: boolean; code: string }>(
    (await postFormAction(page.request, origin, startCampaignAction(), campaignForm({ ...body, recipients: undefined, title: otherTitle }, body.recipients))).text,
  );
  expect(viaAction).toMatchObject({ ok: false, code: "conflict" });
  await admin.close();

  expect(await snapshot(page, request)).toEqual(before);
  expect(await ledgerFor(request, otherTitle)).toEqual([]);
});

test.describe("server-action bodies over the limit or malformed (live server, whose log is kept)", () => {
  test.use({ baseURL: LIVE_BASE_URL });
  const LOG = `${E2E_DATA_DIR}-live/server.log`;

  const bodies: [string, () => { body: Buffer; contentType: string }, RegExp][] = [
    [
      "a 5 MB multipart body (the limit is 4 MB)",
      () => {
        const boundary = "----hardening";
        const head = `--${boundary}\r\nContent-Disposition: form-data; name="0"\r\n\r\n["$K1"]\r\n--${boundary}\r\nContent-Disposition: form-data; name="1_recipients"; filename="r.txt"\r\nContent-Type: text/plain\r\n\r\n`;
        const body = Buffer.concat([Buffer.from(head), Buffer.alloc(5 * 1024 * 1024, "9"), Buffer.from(`\r\n--${boundary}--\r\n`)]);
        return { body, contentType: `multipart/form-data; boundary=${boundary}` };
      },
      /larger than the server accepts|exceeded/i,
    ],
    ["a cut-off multipart body", () => ({ body: Buffer.from('--xyz\r\nContent-Disposition: form-data; name="0"\r\n\r\n["$K1"]\r\n--xyz\r\nGarb'), contentType: "multipart/form-data; boundary=xyz" }), /could not be read/i],
    ["arguments that are not JSON", () => ({ body: Buffer.from('[{"title": "x", '), contentType: "text/plain;charset=UTF-8" }), /could not be read/i],
  ];

  for (const [name, build, reason] of bodies) {
    test(`${name}: the server logs one line and no stack`, async ({ request }) => {
      const offset = logSize(LOG);
      const { body, contentType } = build();
      const answer = await postRawAction(request, LIVE_BASE_URL, startCampaignAction(), body, contentType);
      // Next answers such a request itself, before any of our code runs; the browser only sees that it failed.
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.text).not.toMatch(/\n\s+at |node_modules/);
      await expect.poll(() => logSince(LOG, offset), { timeout: 5_000 }).toMatch(/refused/);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const lines = logSince(LOG, offset).split("\n").filter((line) => line.trim() !== "");
      expect(lines, lines.join("\n")).toHaveLength(1);
      expect(lines[0]).toMatch(reason);
      expect(lines[0]).toContain("/compose");
      expect(lines[0]).not.toMatch(/\bat \S+ \(|ignore-listed frames|digest: '/);
    });
  }
});

test("when the send request fails on the way, the composer says so in its live region and a second press sends once", async ({ page, request }) => {
  const title = `Broken body ${RUN}`;
  await openComposer(page);
  await attachFiles(page, [file.name]);
  await page.getByLabel("Title", { exact: true }).fill(title);
  await recipientsBox(page).fill("500600700\n501602703");
  await expect(page.getByTestId("recipients-valid")).toHaveText("2");
  const before = await snapshot(page, request);
  const broken = await breakNextActionBody(page, startCampaignAction());

  await page.getByRole("button", { name: "Send", exact: true }).click();
  await page.getByRole("dialog", { name: "Send this MMS now?" }).getByRole("button", { name: "Send to 2 recipients" }).click();
  const notice = page.getByTestId("compose-notice");
  await expect(notice).toHaveAttribute("role", "alert");
  await expect(notice).toContainText("The request did not get through");
  await expect(notice).toContainText("Press Send again");
  expect(broken.broken()).toBe(1);
  expect(await snapshot(page, request)).toEqual(before);

  await page.getByRole("button", { name: "Send", exact: true }).click();
  await page.getByRole("dialog", { name: "Send this MMS now?" }).getByRole("button", { name: "Send to 2 recipients" }).click();
  await expect(page.getByTestId("campaign-results").getByTestId("campaign-status")).toHaveText("Completed");
  expect((await ledgerFor(request, title)).map((entry) => entry.phone).sort()).toEqual(["+48500600700", "+48501602703"]);
});

test.describe("media uploads", () => {
  test.use({ storageState: authStatePath("sender") });

  test("a chunk the server could not read shows a clear reason in the row's live region, and Retry uploads it", async ({ page }) => {
    await openMedia(page);
    const broken = await breakNextActionBody(page, findAction("uploadChunk"));
    // Content of its own, so the library cannot answer "already uploaded" before any chunk is sent.
    const name = `hc${RUN}-notes.txt`;
    await fileInput(page).setInputFiles({ name, mimeType: "text/plain", buffer: Buffer.from(`Notes of run ${RUN}: ${randomUUID()}\n`) });
    const row = uploadRow(page, name);
    await expect(row.getByTestId("upload-status")).toHaveText("Failed");
    const message = row.getByTestId("upload-message");
    await expect(message).toHaveAttribute("aria-live", "polite");
    await expect(message).toHaveText(
      "The connection to the server was interrupted before it answered, or the server could not read the request. Check your network, then press Retry.",
    );
    expect(broken.broken()).toBe(1);

    await row.getByRole("button", { name: /^Retry upload of / }).click();
    await expect(row.getByTestId("upload-status")).toHaveText(/Uploaded|Reused/);
  });
});
