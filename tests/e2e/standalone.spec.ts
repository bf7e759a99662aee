import fs from "node:fs";
import type { APIRequestContext } from "@playwright/test";
import { expect, test } from "./support/fixtures";
import { callSandbox, mediaFixture, resetSandbox, SANDBOX_TOKEN } from "./support/gateway";
import { expectImageLoaded, fileInput, libraryCard, openMedia, uploadRow } from "./support/media";
import { signIn } from "./support/session";

/*
 * Issue 12 items 1 and 6 in the browser: uploads reach a gateway whatever disk-upload encoding it
 * reads (the embedded sandbox told to read only one), and the sandbox's test API refuses what it
 * should. The library is this spec's own (reset first), and the sandbox reads both encodings again
 * afterwards, whatever happens, so later specs are not affected.
 */

test.describe.configure({ mode: "serial" });

const acceptOnly = (request: APIRequestContext, accept: "base64" | "multipart" | "both") => callSandbox(request, "__admin/upload-encodings", { accept });

test.beforeAll(async ({ request }) => {
  await resetSandbox(request);
});
test.afterAll(async ({ request }) => {
  await acceptOnly(request, "both");
});

async function storedAtGateway(request: APIRequestContext, name: string): Promise<Buffer> {
  const { items } = await callSandbox<{ items: { id: string; name: string }[] }>(request, "files/index", { type: "mms" });
  const file = items.find((item) => item.name === name);
  if (!file) throw new Error(`${name} is not in the gateway's library`);
  const stored = await callSandbox<{ data: string }>(request, "__admin/file", { id: file.id, type: "mms" });
  return Buffer.from(stored.data, "base64");
}

async function dropAndWait(page: import("@playwright/test").Page, fixture: string): Promise<void> {
  await fileInput(page).setInputFiles([mediaFixture(fixture)]);
  await expect(uploadRow(page, fixture)).toHaveAttribute("data-status", "done", { timeout: 20_000 });
  await expect(uploadRow(page, fixture).getByTestId("upload-status")).toHaveText("Uploaded");
}

test("uploads arrive intact at a gateway that reads only multipart, then at one that reads only base64", async ({ page, request }) => {
  await signIn(page, "sender");
  await openMedia(page);

  // The dashboard sends base64 first (what the official clients send); this gateway answers that
  // `file` is missing, so the same upload goes again as multipart, and that is remembered.
  await acceptOnly(request, "multipart");
  await dropAndWait(page, "photo.jpg");
  await expectImageLoaded(libraryCard(page, "photo.jpg").getByRole("img", { name: "Preview of photo.jpg" }));
  expect((await storedAtGateway(request, "photo.jpg")).equals(fs.readFileSync(mediaFixture("photo.jpg")))).toBe(true);

  // The gateway changes its mind: the remembered multipart is refused, base64 gets its one try.
  await acceptOnly(request, "base64");
  await dropAndWait(page, "notes.txt");
  await expect(libraryCard(page, "notes.txt").getByLabel("First lines of notes.txt")).toContainText("Promocja");
  expect((await storedAtGateway(request, "notes.txt")).equals(fs.readFileSync(mediaFixture("notes.txt")))).toBe(true);
});

test("the sandbox's test API and its gateway API refuse what they should (4 access, 3 bad-input cases)", async ({ request }) => {
  const anonymous = async (action: string, body: Record<string, unknown>) =>
    (await (await request.post(`/sandbox-api/${action}`, { form: { username: "demo", password: "demo", ...body } })).json()) as { error?: { code: number } };
  const withToken = async (action: string, body: Record<string, unknown>) =>
    (await (await request.post(`/sandbox-api/${action}`, { data: body, headers: { authorization: `Bearer ${SANDBOX_TOKEN}` } })).json()) as {
      error?: { code: number; message: string };
    };
  const wrongToken = async (action: string) =>
    (await (await request.post(`/sandbox-api/${action}`, { data: { accept: "both" }, headers: { authorization: "Bearer not-the-token" } })).json()) as { error?: { code: number } };

  await acceptOnly(request, "multipart");
  // Access: the admin endpoint takes the Bearer token only, never the public body credentials.
  expect((await anonymous("__admin/upload-encodings", { accept: "base64" })).error?.code).toBe(1001);
  expect((await anonymous("__admin/file", { id: "0123456789", type: "mms" })).error?.code).toBe(1001);
  expect((await wrongToken("__admin/upload-encodings")).error?.code).toBe(1001);
  // No gateway gives files back: files/download is not an action of the gateway API any more.
  expect((await withToken("files/download", { id: "0123456789", type: "mms" })).error?.code).toBe(1000);

  // Bad input, each with its documented code and a reason.
  expect((await withToken("__admin/upload-encodings", { accept: "json" })).error).toMatchObject({ code: 1006, message: expect.stringContaining("both, base64, multipart") });
  expect((await withToken("__admin/file", { id: "0123456789", type: "mms" })).error?.code).toBe(1004);
  expect((await withToken("messages/send_mms", { phone: "500600700", title: "Groups", file_id: "0123456789", group_id: [5] })).error).toMatchObject({
    code: 1004,
    message: expect.stringContaining("no contact groups"),
  });
  // Nothing refused changed the setting.
  expect(await callSandbox<{ accept: string }>(request, "__admin/upload-encodings")).toEqual({ accept: "multipart" });
});
