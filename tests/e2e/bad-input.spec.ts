import type { APIRequestContext, Page } from "@playwright/test";
import { expect, test } from "./support/fixtures";
import { routeEndpoints } from "./support/enumerate";
import { addLibraryFile, ledgerFor, readLedger as ledger, recipientFixture, sandboxStats, setSandboxFaults } from "./support/gateway";
import { openComposer } from "./support/compose";
import { fileInput, fixtureFile, libraryCard, openMedia, uploadRow } from "./support/media";
import { isPublicRoute } from "./support/public-routes";
import { authStatePath } from "./support/session";

/**
 * Bad input, case by case. Each case asserts a clear message, that nothing reached the gateway's
 * send action (the sandbox ledger and its send counter do not move), and that nothing was half-stored
 * (the campaign count does not move).
 */

let fileId: string;

async function campaignCount(page: Page): Promise<number> {
  return ((await (await page.request.get("/api/campaigns?pageSize=1")).json()) as { total: number }).total;
}

function validCampaign(overrides: Record<string, unknown> = {}) {
  return {
    title: "Autumn sale",
    fileIds: [fileId],
    recipients: ["+48500600700", "+48600700800"],
    schedule: { mode: "now" },
    test: false,
    idempotencyKey: crypto.randomUUID(),
    ...overrides,
  };
}

async function expectRefused(page: Page, request: APIRequestContext, body: unknown, message: RegExp | string, baseURL: string, raw = false) {
  const before = { campaigns: await campaignCount(page), ledger: (await ledger(request)).length, stats: await sandboxStats(request) };
  const response = await page.request.post("/api/campaigns", {
    headers: { origin: baseURL, "content-type": "application/json" },
    // A Buffer goes out byte for byte; a string would be JSON-encoded by Playwright.
    data: Buffer.from(raw ? (body as string) : JSON.stringify(body)),
  });
  expect(response.status()).toBeGreaterThanOrEqual(400);
  const answer = (await response.json()) as { ok: boolean; message: string; fieldErrors: Record<string, string[]> };
  expect(answer.ok).toBe(false);
  const everything = [answer.message, ...Object.values(answer.fieldErrors ?? {}).flat()].join("\n");
  expect(everything).toMatch(message);
  expect(everything).not.toMatch(/at \w+ \(|node_modules|TypeError|ZodError/);
  expect(await campaignCount(page)).toBe(before.campaigns);
  expect((await ledger(request)).length).toBe(before.ledger);
  const after = await sandboxStats(request);
  expect([after.sendMmsCalls, after.sendMmsTestCalls]).toEqual([before.stats.sendMmsCalls, before.stats.sendMmsTestCalls]);
}

// File level, so a worker restarted after a failure gets its file too.
test.beforeAll(async ({ request }) => {
  fileId = (await addLibraryFile(request, "banner.png", "banner.png")).id;
});

test.describe("bad input to the campaign API", () => {
  test.use({ storageState: authStatePath("sender") });

  const cases: [string, () => unknown, RegExp | string][] = [
    ["a title of 41 emoji graphemes", () => validCampaign({ title: "😀".repeat(41) }), /The title is 41 characters long; the limit is 40/],
    ["a title of 39 letters plus a flag (41 code points)", () => validCampaign({ title: `${"a".repeat(39)}🇵🇱` }), /The title is 41 characters long; the limit is 40\..*🇵🇱/s],
    ["a title of 41 letters", () => validCampaign({ title: "a".repeat(41) }), /The title is 41 characters long; the limit is 40/],
    ["an empty title", () => validCampaign({ title: "   " }), /Enter a title/],
    ["a title with a line break", () => validCampaign({ title: "Two\nlines" }), /single line/],
    ["11 files", () => validCampaign({ fileIds: Array.from({ length: 11 }, (_, i) => `f${i}`) }), /at most 10 files/],
    ["no files", () => validCampaign({ fileIds: [] }), /Choose at least one file/],
    ["an unknown file id", () => validCampaign({ fileIds: ["abcdef0123"] }), /no longer in the library/],
    ["a file id with path characters", () => validCampaign({ fileIds: ["../../etc/passwd"] }), /not in the library any more/],
    ["the same file twice", () => validCampaign({ fileIds: [fileId, fileId] }), /already attached/],
    ["zero recipients", () => validCampaign({ recipients: [] }), /Add at least one recipient/],
    ["100,001 recipients", () => validCampaign({ recipients: Array.from({ length: 100_001 }, (_, i) => `+48500${String(i).padStart(6, "0")}`) }), /At most 100 000 recipients/],
    ["a malformed number", () => validCampaign({ recipients: ["+48500600700", "12345"] }), /12345 is not a valid mobile number/],
    ["letters instead of a number", () => validCampaign({ recipients: ["call me maybe"] }), /not a valid mobile number/],
    ["a number not in E.164 form", () => validCampaign({ recipients: ["500 600 700"] }), /not a valid mobile number/],
    ["a duplicate in another format", () => validCampaign({ recipients: ["+48500600700", "+48 500 600 700"] }), /not a valid mobile number/],
    ["an exact duplicate", () => validCampaign({ recipients: ["+48500600700", "+48500600700"] }), /already in the list at position 1/],
    ["a landline", () => validCampaign({ recipients: ["+48221234567"] }), /landline|not a valid mobile/i],
    ["a past date", () => validCampaign({ schedule: { mode: "scheduled", date: "2020-01-01", time: "10:00" } }), /in the past/],
    ["an unparsable date", () => validCampaign({ schedule: { mode: "scheduled", date: "tomorrow", time: "10:00" } }), /Enter a date as YYYY-MM-DD/],
    ["a date that does not exist", () => validCampaign({ schedule: { mode: "scheduled", date: "2027-02-30", time: "10:00" } }), /not a date in the calendar/],
    ["a time skipped by the clock change", () => validCampaign({ schedule: { mode: "scheduled", date: "2027-03-28", time: "02:30" } }), /does not exist on 2027-03-28/],
    ["a date more than a year ahead", () => validCampaign({ schedule: { mode: "scheduled", date: "2099-01-01", time: "10:00" } }), /more than a year away/],
    ["an unknown schedule mode", () => validCampaign({ schedule: { mode: "yesterday" } }), /send now or at a scheduled time/],
    ["a message text over 2000 characters", () => validCampaign({ text: "x".repeat(2001) }), /limit is 2000/],
    ["a missing idempotency key", () => validCampaign({ idempotencyKey: "not-a-uuid" }), /form is out of date/],
    ["a batch size outside 50–200", () => validCampaign({ options: { batchSize: 500, concurrency: 4 } }), /Batch size must be 50–200/],
    ["zero parallel requests", () => validCampaign({ options: { batchSize: 200, concurrency: 0 } }), /Parallel requests must be 1–8/],
    ["wrong types everywhere", () => ({ title: 42, fileIds: "x", recipients: "+48500600700", schedule: null, test: "yes" }), /.+/],
    ["an empty object", () => ({}), /Enter a title|Choose at least one file/],
  ];

  for (const [name, build, message] of cases) {
    test(`refuses ${name}`, async ({ page, request, baseURL }) => {
      await expectRefused(page, request, build(), message, baseURL!);
    });
  }

  test("refuses malformed JSON", async ({ page, request, baseURL }) => {
    await expectRefused(page, request, '{"title": "x", ', /not valid JSON/, baseURL!, true);
  });

  test("refuses an oversize request body before reading it all", async ({ page, request, baseURL }) => {
    await expectRefused(page, request, JSON.stringify({ title: "x", pad: "y".repeat(9 * 1024 * 1024) }), /larger than 8 MB/, baseURL!, true);
  });
});

test.describe("bad input to every route", () => {
  test.use({ storageState: authStatePath("admin") });

  test("malformed JSON to every route that takes a body gets a clear 400", async ({ page, baseURL }) => {
    // The secret-gated push route answers the gateway in plain text; fidelity-cancel-push.spec.ts checks its bad input.
    const writable = routeEndpoints().filter((e) => e.method !== "GET" && !e.file.startsWith("app/sandbox-api/") && !isPublicRoute(e));
    expect(writable.length).toBeGreaterThan(0);
    for (const endpoint of writable) {
      const response = await page.request.fetch(endpoint.url, {
        method: endpoint.method,
        headers: { origin: baseURL!, "content-type": "application/json" },
        data: Buffer.from("{not json"),
      });
      expect(response.status(), `${endpoint.method} ${endpoint.url}`).toBe(400);
      expect(await response.json()).toMatchObject({ ok: false, message: "The request body is not valid JSON." });
    }
  });

  test("malformed query values to every GET route are refused or ignored, never a crash", async ({ page }) => {
    for (const endpoint of routeEndpoints().filter((e) => e.method === "GET" && !e.file.startsWith("app/sandbox-api/"))) {
      const response = await page.request.get(`${endpoint.url}?page=-1&pageSize=99999&status=%3Cscript%3E&from=yesterday`);
      expect(response.status(), endpoint.url).toBeLessThan(500);
    }
  });
});

test.describe("a misbehaving gateway", () => {
  test.use({ storageState: authStatePath("sender") });
  test.afterEach(async ({ request }) => {
    await setSandboxFaults(request, { rules: [] });
  });

  for (const [kind, expected] of [
    ["garbage", /gateway gave an unexpected answer/],
    ["http500", /did not answer in time|unexpected answer|Please try again/],
  ] as const) {
    test(`a library read answering ${kind} gives a clear message, not a stack`, async ({ page, request }) => {
      await setSandboxFaults(request, { rules: [{ action: "files/index", kind }] });
      const response = await page.request.get("/api/media");
      expect(response.status()).toBe(502);
      const body = (await response.json()) as { message: string };
      expect(body.message).toMatch(expected);
    });
  }

  test("a send answered with HTTP 500 records a failed batch, nothing sent, retry offered", async ({ page, request, baseURL }) => {
    await setSandboxFaults(request, { rules: [{ action: "messages/send_mms", kind: "http500" }] });
    const before = (await ledger(request)).length;
    const started = await page.request.post("/api/campaigns", { headers: { origin: baseURL! }, data: validCampaign() });
    expect(started.ok(), await started.text()).toBe(true);
    const { campaignId } = (await started.json()) as { campaignId: string };
    await expect
      .poll(async () => ((await (await page.request.get(`/api/campaigns/${campaignId}`)).json()) as { summary: { status: string } }).summary.status)
      .toBe("failed");
    const { summary } = (await (await page.request.get(`/api/campaigns/${campaignId}`)).json()) as {
      summary: { problems: { message: string }[]; actions: { retry: boolean } };
    };
    expect(summary.problems[0]?.message).toMatch(/HTTP 500; nothing was sent/);
    expect(summary.actions.retry).toBe(true);
    expect((await ledger(request)).length).toBe(before);
  });

  test("a send refused for exhausted credit (3004) says so in plain words", async ({ page, request, baseURL }) => {
    await setSandboxFaults(request, { rules: [{ action: "messages/send_mms", kind: "error", code: 3004 }] });
    const started = await page.request.post("/api/campaigns", { headers: { origin: baseURL! }, data: validCampaign() });
    expect(started.ok(), await started.text()).toBe(true);
    const { campaignId } = (await started.json()) as { campaignId: string };
    await expect
      .poll(async () => ((await (await page.request.get(`/api/campaigns/${campaignId}`)).json()) as { summary: { problems: { message: string }[] } }).summary.problems[0]?.message ?? "")
      .toMatch(/MMS credit used up/);
  });
});

/** The library as the gateway lists it, through our API: a refused upload must not change it. */
async function libraryIds(page: Page): Promise<string[]> {
  return ((await (await page.request.get("/api/media")).json()) as { items: { id: string }[] }).items.map((item) => item.id).sort();
}

test.describe("bad uploads and imports", () => {
  test.use({ storageState: authStatePath("sender") });

  const refusals: [string, () => { name: string; mimeType: string; buffer: Buffer }, RegExp][] = [
    ["a file whose bytes do not match its extension", () => fixtureFile("offer.jpg"), /is a PDF document, not a JPEG image/],
    ["a 0-byte file", () => fixtureFile("empty.bin", "empty.png"), /is empty \(0 bytes\)/],
    ["a file over the limit", () => ({ name: "huge.txt", mimeType: "text/plain", buffer: Buffer.alloc(21 * 1024 * 1024, "a") }), /larger than|over|20 MB/i],
    ["a Windows program renamed .png", () => fixtureFile("setup.exe", "cute-cat.png"), /not a PNG|program|not allowed/i],
    ["an HTML page (refused in the browser by its type)", () => fixtureFile("page.html"), /"page\.html" is not a file type MMS accepts/],
    ["an HTML page disguised as .txt (refused by the server by content)", () => fixtureFile("page.html", "notes.txt"), /HTML/],
    ["a WebP image (not in the allowed list)", () => fixtureFile("promo.webp"), /"promo\.webp" is not a file type MMS accepts/],
    ["a WebP image disguised as .jpg (refused by the server by content)", () => fixtureFile("promo.webp", "promo.jpg"), /WebP/],
  ];

  for (const [name, file, message] of refusals) {
    test(`refuses ${name}, and the library does not change`, async ({ page }) => {
      // openMedia waits for the dropzone to be hydrated: a file chosen before that goes nowhere (seen in a clean-clone run).
      await openMedia(page);
      const before = { library: await libraryIds(page) };
      const upload = file();
      await fileInput(page).setInputFiles(upload);
      const row = uploadRow(page, upload.name);
      await expect(row).toHaveAttribute("data-status", "refused", { timeout: 30_000 });
      await expect(row.getByTestId("upload-message")).toHaveText(message);
      // Refused before files/add: the gateway's library is as it was.
      expect(await libraryIds(page)).toEqual(before.library);
    });
  }

  test("stores an SVG containing a script but never renders it inline", async ({ page }) => {
    const dialogs: string[] = [];
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto("/media");
    await fileInput(page).setInputFiles(fixtureFile("script.svg"));
    await expect(uploadRow(page, "script.svg")).toHaveAttribute("data-status", "done", { timeout: 30_000 });
    const card = libraryCard(page, "script.svg");
    await expect(card.getByRole("img", { name: "Preview of script.svg" })).toBeVisible();
    // Only through <img> (scripts never run there): no inline <svg> element carries the upload.
    expect(await page.locator("svg script").count()).toBe(0);
    const href = await card.getByRole("img", { name: "Preview of script.svg" }).getAttribute("src");
    const served = await page.request.get(href!);
    expect(served.headers()["content-type"]).toContain("image/svg+xml");
    expect(served.headers()["content-security-policy"]).toContain("sandbox");
    expect(served.headers()["x-content-type-options"]).toBe("nosniff");
    // Opening the file directly must not run its script either (the CSP sandbox blocks it).
    await page.goto(href!);
    await page.waitForTimeout(500);
    expect(dialogs).toEqual([]);
  });

  test("shows a file name with HTML in it as text, never as markup", async ({ page }) => {
    const dialogs: string[] = [];
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto("/media");
    const name = `<img src=x onerror=alert(1)>.png`;
    await fileInput(page).setInputFiles(fixtureFile("banner.png", name));
    await expect(page.getByTestId("upload-row").first()).toHaveAttribute("data-status", /done|reused/, { timeout: 30_000 });
    await page.reload();
    await expect(page.locator("img[src='x']")).toHaveCount(0);
    expect(dialogs).toEqual([]);
  });

  for (const [scheme, address] of [
    ["javascript:", "javascript:alert(1)"],
    ["file:", "file:///etc/passwd"],
    ["data:", "data:image/png;base64,iVBORw0KGgo="],
  ] as const) {
    test(`refuses to import a ${scheme} address`, async ({ page }) => {
      await page.goto("/media");
      const before = await libraryIds(page);
      const form = page.getByRole("form", { name: "Import a file from a web address" });
      await form.getByLabel("Import from a web address").fill(address);
      await form.getByRole("button", { name: "Import" }).click();
      await expect(form.getByText(`Only http:// and https:// addresses can be imported (this one is ${scheme}).`)).toBeVisible();
      expect(await libraryIds(page)).toEqual(before);
    });
  }

  test("refuses to import from a private network address (the gateway must not become an SSRF hole)", async ({ page }) => {
    await page.goto("/media");
    const before = await libraryIds(page);
    const form = page.getByRole("form", { name: "Import a file from a web address" });
    await form.getByLabel("Import from a web address").fill("http://10.0.0.1/internal.png");
    await form.getByRole("button", { name: "Import" }).click();
    await expect(form.getByText(/The gateway could not import this address: .*(private|not allowed|refused)/i)).toBeVisible({ timeout: 20_000 });
    expect(await libraryIds(page)).toEqual(before);
  });
});

test.describe("bad recipient files", () => {
  test.use({ storageState: authStatePath("sender") });

  test("reads a CSV with a BOM, semicolons, quoted fields and empty lines", async ({ page }) => {
    await openComposer(page);
    await page.getByLabel("Import from a file (CSV or .xlsx)").setInputFiles(recipientFixture("semicolon-bom.csv"));
    await expect(page.getByText(/column/i).first()).toBeVisible({ timeout: 20_000 });
    const counts = page.getByText("Valid", { exact: true }).locator("..");
    await expect(counts).toBeVisible();
    await expect(page.getByText(/Duplicate of line/).first()).toBeVisible();
  });

  test("explains a CSV with no phone column", async ({ page }) => {
    await openComposer(page);
    await page.getByLabel("Import from a file (CSV or .xlsx)").setInputFiles(recipientFixture("no-phone-column.csv"));
    await expect(page.getByText("No column with phone numbers found.", { exact: false })).toBeVisible({ timeout: 20_000 });
  });
});

test.describe("a gateway that times out", () => {
  test.use({ storageState: authStatePath("sender") });
  test.afterEach(async ({ request }) => {
    await setSandboxFaults(request, { rules: [] });
  });

  test("a send that times out after the gateway accepted it is marked unknown and never resent", async ({ page, request, baseURL }) => {
    test.setTimeout(90_000);
    await setSandboxFaults(request, { rules: [{ action: "messages/send_mms", kind: "timeoutAfterAccept" }] });
    const title = `Timeout ${Date.now()}`;
    const started = await page.request.post("/api/campaigns", { headers: { origin: baseURL! }, data: validCampaign({ title }) });
    expect(started.ok(), await started.text()).toBe(true);
    const { campaignId } = (await started.json()) as { campaignId: string };
    type Summary = { status: string; batches: { unknown: number }; problems: { message: string }[]; actions: { retry: boolean; reconcile: boolean } };
    const summary = async () => ((await (await page.request.get(`/api/campaigns/${campaignId}`)).json()) as { summary: Summary }).summary;
    await expect.poll(async () => (await summary()).batches.unknown, { timeout: 60_000 }).toBe(1);
    const final = await summary();
    expect(final.problems[0]?.message).toMatch(/never resent automatically/);
    expect(final.actions).toMatchObject({ retry: false, reconcile: true });
    // The gateway did take the messages: recorded once, not twice.
    expect((await ledgerFor(request, title)).length).toBe(2);
  });
});
