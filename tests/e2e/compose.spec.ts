import { randomUUID } from "node:crypto";
import type { Page } from "@playwright/test";
import { format } from "date-fns";
import { describeSchedule, scheduleToInstant } from "../../lib/schedule/format";
import {
  attachFiles,
  awayFromMinuteBoundary,
  chooseDayByKeyboard,
  expectComposerReady,
  expect,
  expectRecipientCounts,
  openComposer,
  recipientsBox,
  test,
  warsawDay,
} from "./support/compose";
import { addLibraryFile, ledgerFor, readLedger, recipientFixture } from "./support/gateway";

/** Unique per worker start, so a retried worker never meets files or titles of an earlier attempt. */
const RUN = Date.now().toString(36).slice(-5);
const FIXTURES = [
  "banner.png", "photo.jpg", "animated.gif", "logo.svg", "notes.txt", "jingle.mp3",
  "jingle.wav", "clip.mp4", "clip.3gp", "contact.vcf", "leaflet.pdf", "tune.mid",
];
let library: { id: string; name: string }[] = [];
const fileName = (index: number) => library[index]!.name;

test.beforeAll(async ({ playwright }, testInfo) => {
  const api = await playwright.request.newContext({ baseURL: testInfo.project.use.baseURL });
  library = [];
  for (const [index, fixture] of FIXTURES.entries()) {
    library.push(await addLibraryFile(api, fixture, `c${RUN}-${String(index + 1).padStart(2, "0")}-${fixture}`));
  }
  await api.dispose();
});

type Answer = { ok: boolean; code?: string; message?: string; fieldErrors?: Record<string, string[]> };

/** The composer's JSON API, called as another client would, with the signed-in user's session. */
async function postCampaign(page: Page, data: Record<string, unknown>): Promise<Answer> {
  const origin = test.info().project.use.baseURL!;
  const response = await page.request.post("/api/campaigns", { data, headers: { origin } });
  return (await response.json()) as Answer;
}

function validRequest(overrides: Record<string, unknown>) {
  return {
    title: `Valid ${RUN}`,
    fileIds: [library[0]!.id],
    recipients: ["+48500600700"],
    schedule: { mode: "now" },
    test: false,
    idempotencyKey: randomUUID(),
    ...overrides,
  };
}

test("a marketing user previews in test mode, schedules for tomorrow 10:00 Warsaw and cancels", async ({ page, request }) => {
  const title = `Spring sale ${RUN}`;
  await openComposer(page);

  await attachFiles(page, [fileName(0), fileName(1)]);
  await page.getByLabel("Title", { exact: true }).fill(title);
  await recipientsBox(page).fill("500600700\n+48 500 600 700\n600700800\n12345\n501502503");
  await expectRecipientCounts(page, { valid: 3, invalid: 1, duplicates: 1, empty: 0 });
  const rejected = page.getByRole("region", { name: /Entries that will not be sent/ });
  await expect(rejected).toContainText("Line 2: “+48 500 600 700” — Duplicate of line 1");
  await expect(rejected).toContainText("Line 4: “12345” — Invalid:");
  await expect(page.getByTestId("phone-preview")).toContainText(title);
  await expect(page.getByTestId("mms-needed")).toHaveText("3 MMS");

  await page.getByRole("button", { name: "Preview (test mode)" }).click();
  const preview = page.getByRole("region", { name: "Test preview: the gateway's answer" });
  await expect(preview.getByText("Test mode — nothing sent.")).toBeVisible();
  await expect(preview.getByTestId("campaign-status")).toHaveText("Test finished");
  await expect(preview.getByRole("heading", { name: "Per recipient (test, nothing sent)" })).toBeVisible();
  await expect(preview.getByTestId("recipient-row")).toHaveCount(3);
  await expect(preview.getByTestId("recipient-row").first()).toContainText("Queued (test)");
  await expect(preview.getByTestId("recipient-row").first()).toContainText("nothing was sent");
  expect(await ledgerFor(request, title, { includeDeleted: true })).toEqual([]);

  const tomorrow = warsawDay(1);
  const resolved = scheduleToInstant(tomorrow.iso, "10:00");
  if (!resolved.ok) throw new Error(resolved.message);
  const when = describeSchedule(resolved.instant);
  await page.getByLabel("Schedule for later").check();
  await chooseDayByKeyboard(page, 1);
  await expect(page.getByTestId("schedule-chosen-day")).toContainText(String(tomorrow.year));
  await page.getByLabel("Time", { exact: true }).fill("10:00");
  await expect(page.getByTestId("schedule-zone")).toHaveText(when);

  await page.getByRole("button", { name: "Schedule", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Schedule this MMS?" });
  await expect(dialog).toContainText("3 recipients");
  await expect(dialog).toContainText(when);
  await dialog.getByRole("button", { name: "Schedule for 3 recipients" }).click();

  const results = page.getByTestId("campaign-results");
  await expect(results.getByTestId("campaign-status")).toHaveText("Scheduled");
  await expect(results.getByTestId("campaign-schedule")).toContainText(`Scheduled for ${when}`);
  const saved = await ledgerFor(request, title);
  expect(saved.map((entry) => entry.status)).toEqual(["saved", "saved", "saved"]);
  expect(saved.map((entry) => entry.phone).sort()).toEqual(["+48500600700", "+48501502503", "+48600700800"]);
  expect(saved.every((entry) => entry.fileIds.join() === [library[0]!.id, library[1]!.id].join())).toBe(true);

  await results.getByRole("button", { name: "Cancel scheduled send" }).click();
  const cancel = page.getByRole("dialog", { name: "Cancel the scheduled send?" });
  await cancel.getByRole("button", { name: "Yes, cancel the send" }).click();
  await expect(results.getByTestId("campaign-status")).toHaveText("Cancelled");
  await expect(results.getByText("The scheduled send was cancelled.")).toBeVisible();
  expect(await ledgerFor(request, title)).toEqual([]);
  expect((await ledgerFor(request, title, { includeDeleted: true })).map((entry) => entry.status)).toEqual(["deleted", "deleted", "deleted"]);
});

test("too-long titles, an 11th file, no recipients and a past time are refused in the browser and by the server in the same words", async ({
  page,
  request,
}) => {
  await openComposer(page);
  const ledgerBefore = (await readLedger(request, { includeDeleted: true })).length;
  const titleInput = page.getByLabel("Title", { exact: true });
  const titleError = page.locator("#compose-title-error");

  // 41 characters.
  const long = "x".repeat(41);
  await titleInput.fill(long);
  await expect(page.getByTestId("title-counter")).toContainText("41 / 40");
  await expect(titleError).toHaveText("The title is 41 characters long; the limit is 40.");
  const server41 = await postCampaign(page, validRequest({ title: long }));
  expect(server41.ok).toBe(false);
  expect(server41.fieldErrors?.title).toHaveLength(1);
  await expect(titleError).toHaveText(server41.fieldErrors!.title![0]!);

  // 39 letters and a flag: 40 symbols on screen, 41 code points for the gateway.
  const flagged = `${"y".repeat(39)}🇵🇱`;
  await titleInput.fill(flagged);
  await expect(page.getByTestId("title-counter")).toContainText("Looks like 40, counts as 41");
  await expect(titleError).toContainText("🇵🇱 counts as 2 characters");
  const serverFlag = await postCampaign(page, validRequest({ title: flagged }));
  expect(serverFlag.fieldErrors?.title).toHaveLength(1);
  await expect(titleError).toHaveText(serverFlag.fieldErrors!.title![0]!);

  // An 11th file.
  await attachFiles(page, library.slice(0, 10).map((file) => file.name));
  await expect(page.getByTestId("files-chosen-count")).toHaveText("10 of 10 chosen.");
  const eleventh = page.getByRole("button", { name: `Attach ${fileName(10)}`, exact: true });
  await eleventh.click();
  await expect(eleventh).toHaveAttribute("aria-pressed", "false");
  await expect(page.getByTestId("files-chosen-count")).toHaveText("10 of 10 chosen.");
  const serverFiles = await postCampaign(page, validRequest({ fileIds: library.slice(0, 11).map((file) => file.id) }));
  const filesMessage = serverFiles.fieldErrors?.fileIds?.[0];
  expect(filesMessage).toBe("An MMS can carry at most 10 files; remove 1.");
  await expect(page.locator("#compose-files-status")).toHaveText(`Not attached: ${fileName(10)}. ${filesMessage}`);

  // No recipients.
  await page.getByRole("button", { name: "Preview (test mode)" }).click();
  const recipientsError = page.locator("#compose-recipients-error");
  await expect(recipientsError).toHaveText("Add at least one recipient");
  await expect(page.getByTestId("compose-notice")).toContainText("Nothing was sent");
  const serverEmpty = await postCampaign(page, validRequest({ recipients: [] }));
  expect(serverEmpty.fieldErrors?.recipients).toEqual(["Add at least one recipient"]);

  // A past time: the calendar offers no earlier day, so today at 00:00.
  await page.getByLabel("Schedule for later").check();
  const yesterday = warsawDay(-1);
  if (yesterday.month === warsawDay(0).month) {
    const yesterdayButton = page.getByRole("button", { name: format(new Date(yesterday.year, yesterday.month - 1, yesterday.day), "PPPP") });
    await expect(yesterdayButton).toBeDisabled();
  }
  await chooseDayByKeyboard(page, 0);
  await page.getByLabel("Time", { exact: true }).fill("00:00");
  await awayFromMinuteBoundary(page);
  await page.getByRole("button", { name: "Preview (test mode)" }).click();
  const scheduleError = page.locator("#compose-schedule-error");
  await expect(scheduleError).toContainText("The scheduled time is in the past; pick a time after");
  const serverPast = await postCampaign(page, validRequest({ schedule: { mode: "scheduled", date: yesterday.iso, time: "10:00" } }));
  expect(serverPast.fieldErrors?.schedule).toHaveLength(1);
  expect(serverPast.fieldErrors!.schedule![0]).toMatch(/^The scheduled time is in the past; pick a time after /);
  await expect(scheduleError).toHaveText(serverPast.fieldErrors!.schedule![0]!);

  // Nothing left the browser: no preview, no campaign, nothing at the gateway.
  await expect(page.getByTestId("campaign-results")).toHaveCount(0);
  expect((await readLedger(request, { includeDeleted: true })).length).toBe(ledgerBefore);
});

test("sending now shows progress to the end and per-recipient results; double clicks send exactly once", async ({ page, request }) => {
  const title = `Flash sale ${RUN}`;
  await openComposer(page);
  await attachFiles(page, [fileName(1), fileName(3)]);
  await page.getByLabel("Title", { exact: true }).fill(title);
  await page.getByLabel("Text (optional)").fill("Only today: 20% off.");
  await recipientsBox(page).fill("510 520 530, 511521531; +48 512 522 532");
  await expectRecipientCounts(page, { valid: 3, invalid: 0, duplicates: 0, empty: 0 });

  await page.getByRole("button", { name: "Send", exact: true }).dblclick();
  const dialog = page.getByRole("dialog", { name: "Send this MMS now?" });
  await expect(dialog).toContainText("3 recipients");
  await dialog.getByRole("button", { name: "Send to 3 recipients" }).dblclick();

  const results = page.getByTestId("campaign-results");
  await expect(results.getByTestId("campaign-status")).toHaveText("Completed");
  await expect(results.getByTestId("campaign-progress")).toContainText("1 of 1 batch done");
  await expect(results.getByTestId("campaign-total-queued")).toHaveText("3");
  const rows = results.getByTestId("recipient-row");
  await expect(rows).toHaveCount(3);
  for (const row of await rows.all()) {
    await expect(row).toContainText("Queued");
    await expect(row.locator("td").nth(3)).toHaveText(/^[0-9a-f]{10}$/);
  }
  await expect(results.getByRole("link", { name: "Download CSV" })).toHaveAttribute("href", /\/api\/campaigns\/[0-9a-f-]{36}\/export$/);
  await expect(results.getByRole("link", { name: "Open in history" })).toHaveAttribute("href", /^\/history\/[0-9a-f-]{36}$/);

  const sent = await ledgerFor(request, title);
  expect(sent.map((entry) => entry.phone).sort()).toEqual(["+48510520530", "+48511521531", "+48512522532"]);
  expect(sent.every((entry) => entry.status === "queued" && entry.text === "Only today: 20% off.")).toBe(true);
  const campaigns = await (await page.request.get(`/api/campaigns?search=${encodeURIComponent(title)}`)).json();
  expect(campaigns.total).toBe(1);

  // A reload shows the same campaign, not a refilled form that could be sent again.
  await page.reload();
  await expect(page.getByTestId("campaign-results").getByTestId("campaign-status")).toHaveText("Completed");
  await page.getByRole("button", { name: "New campaign" }).click();
  await expectComposerReady(page);
  await expect(page.getByLabel("Title", { exact: true })).toHaveValue("");
});

test("a send whose answer was lost is repeated after a reload with the same key and goes out once", async ({ page, request }) => {
  const title = `Lost answer ${RUN}`;
  await openComposer(page);
  await attachFiles(page, [fileName(0)]);
  await page.getByLabel("Title", { exact: true }).fill(title);
  await recipientsBox(page).fill("513523533\n514524534");
  await expectRecipientCounts(page, { valid: 2, invalid: 0, duplicates: 0, empty: 0 });

  // The server action runs, but its answer never reaches the browser.
  let dropped = 0;
  await page.route("**/compose", async (route) => {
    if (route.request().method() !== "POST" || dropped > 0) return route.fallback();
    dropped++;
    await route.fetch();
    await route.abort("connectionreset");
  });
  await page.getByRole("button", { name: "Send", exact: true }).click();
  await page.getByRole("dialog", { name: "Send this MMS now?" }).getByRole("button", { name: "Send to 2 recipients" }).click();
  await expect(page.getByTestId("compose-notice")).toContainText("it is not known whether the campaign started");
  await expect.poll(async () => (await ledgerFor(request, title)).length).toBe(2);
  await page.unroute("**/compose");

  await page.reload();
  await expectComposerReady(page);
  await expect(page.getByLabel("Title", { exact: true })).toHaveValue(title);
  await expectRecipientCounts(page, { valid: 2, invalid: 0, duplicates: 0, empty: 0 });
  await page.getByRole("button", { name: "Send", exact: true }).click();
  await page.getByRole("dialog", { name: "Send this MMS now?" }).getByRole("button", { name: "Send to 2 recipients" }).click();
  await expect(page.getByText("This request had already started a campaign; here it is. Nothing was sent twice.")).toBeVisible();
  await expect(page.getByTestId("campaign-results").getByTestId("campaign-status")).toHaveText("Completed");
  expect((await ledgerFor(request, title)).length).toBe(2);
});

test("recipients import from Excel shows the column used and every row left out; files reorder by keyboard", async ({ page }) => {
  await openComposer(page);

  await page.getByLabel("Import from a file (CSV or .xlsx)").setInputFiles(recipientFixture("recipients.xlsx"));
  await expect(page.getByText("Numbers taken from column B (“Nr telefonu”).")).toBeVisible();
  await expectRecipientCounts(page, { valid: 3, invalid: 1, duplicates: 1, empty: 1 });
  await expect(page.getByRole("region", { name: /Entries that will not be sent/ })).toContainText("Row 8:");
  await expect(page.getByRole("region", { name: /Entries that will not be sent/ })).toContainText("Duplicate of line 2");

  await page.getByLabel("Import from a file (CSV or .xlsx)").setInputFiles(recipientFixture("semicolon-bom.csv"));
  await expect(page.getByText("Numbers taken from column B (“Telefon komórkowy”).")).toBeVisible();
  await expect(page.getByTestId("recipients-valid")).toHaveText("3");

  await attachFiles(page, [fileName(0), fileName(1), fileName(2)]);
  const chosen = page.getByRole("list", { name: "Chosen files" });
  await page.getByRole("button", { name: `Move ${fileName(0)} down` }).focus();
  await page.keyboard.press("Enter");
  await page.keyboard.press("Enter");
  await expect(chosen.getByRole("listitem")).toHaveText([new RegExp(fileName(1)), new RegExp(fileName(2)), new RegExp(fileName(0))]);
  await expect(page.getByRole("button", { name: `Move ${fileName(0)} up` })).toBeFocused();
  await expect(page.locator("#compose-files-status")).toHaveText(`${fileName(0)} moved to position 3 of 3.`);
  await page.keyboard.press("Enter");
  await expect(chosen.getByRole("listitem")).toHaveText([new RegExp(fileName(1)), new RegExp(fileName(0)), new RegExp(fileName(2))]);
});

test("a long pasted list is checked and shown as a summary, survives a reload, and can be cleared", async ({ page, context }) => {
  // 5 000 numbers (~50 kB): past the size where a textarea would make the browser lay out every line.
  const numbers = Array.from({ length: 5000 }, (_, i) => `500${String(i).padStart(6, "0")}`);
  const text = [...numbers, "500000000", "12345"].join("\n");
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: test.info().project.use.baseURL! });
  await openComposer(page);
  await page.evaluate((clip) => navigator.clipboard.writeText(clip), text);
  await recipientsBox(page).focus();
  await page.keyboard.press("Control+V");

  const summary = page.getByTestId("recipients-pasted");
  await expect(summary).toContainText("5,002 lines");
  await expect(summary).toBeFocused();
  await expect(recipientsBox(page)).toHaveCount(0);
  // Counts show thousands separated ("5,000"), so they are compared as text here.
  const expectLongListCounts = async () => {
    for (const [key, shown] of Object.entries({ valid: "5,000", invalid: "1", duplicates: "1", empty: "0" })) {
      await expect(page.getByTestId(`recipients-${key}`)).toHaveText(shown);
    }
  };
  await expectLongListCounts();

  // The draft kept the list (stored in pieces), and a restored long list is a summary again.
  await page.reload();
  await expectComposerReady(page);
  await expect(summary).toContainText("5,002 lines");
  await expectLongListCounts();

  await summary.getByRole("button", { name: "Clear the list" }).click();
  await expect(recipientsBox(page)).toBeFocused();
  await expect(recipientsBox(page)).toHaveValue("");
  await expect(page.getByTestId("recipients-valid")).toHaveCount(0);
});
