import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { mediaRowsById } from "@/lib/db/queries/media";
import { createGatewayClient } from "@/lib/serwersms/client";
import { tempAppDatabase } from "@/tests/support/app-db";
import { type FakeGateway, startFakeGateway } from "@/tests/support/fake-gateway";
import { makeTempDir } from "@/tests/support/sandbox";
import { createMediaService } from "./upload-service";
import { createUploadSessions } from "./upload-sessions";

/**
 * Refused files are recognised by what the docs confirm (an error envelope from files/add refuses
 * that file), not by the codes our sandbox happens to use (issue 12, item 4): a real gateway may
 * refuse with any code, and the person sees the gateway's own words.
 */

const png = fs.readFileSync(path.join(process.cwd(), "tests", "fixtures", "media", "banner.png"));
let fake: FakeGateway;
let app: ReturnType<typeof tempAppDatabase>;
let dir: string;

const ctx = () => ({ user: { id: 1, email: "sender@example.com", name: "Sender", role: "sender" as const }, audit: vi.fn() });

function service() {
  return createMediaService({
    db: app.db,
    gateway: createGatewayClient({ baseUrl: fake.baseUrl, auth: { kind: "token", token: "refusals-token" }, timeoutMs: 5_000 }),
    sessions: createUploadSessions({ dir: path.join(dir, "uploads") }),
    mediaDir: path.join(dir, "media"),
  });
}

async function upload(name: string, bytes: Buffer) {
  const svc = service();
  const actor = ctx();
  const begun = await svc.beginUpload({ name, size: bytes.byteLength, sha256: createHash("sha256").update(bytes).digest("hex") }, actor);
  if (!begun.ok || begun.outcome !== "upload") throw new Error(`begin failed: ${JSON.stringify(begun)}`);
  const stored = await svc.uploadChunk({ uploadId: begun.uploadId, index: 0, chunk: new Blob([Uint8Array.from(bytes)]) }, actor);
  if (!stored.ok) throw new Error(`chunk failed: ${JSON.stringify(stored)}`);
  return { result: await svc.finishUpload({ uploadId: begun.uploadId }, actor), actor };
}

beforeAll(async () => {
  fake = await startFakeGateway({
    "error/4321": { error: { code: 4321, type: "FileError", message: "The file could not be converted for MMS" } },
  });
});
afterAll(() => fake.close());
beforeEach(() => {
  app = tempAppDatabase();
  dir = makeTempDir("mms-refusals-");
});
afterEach(() => {
  app.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("a file the gateway refuses", () => {
  it("is refused with the gateway's own words whatever the code, and its description of a code we do not know", async () => {
    fake.answer("files/add", { error: { code: 4321, type: "FileError", message: "Plik jest uszkodzony" } });
    const { result, actor } = await upload("banner.png", png);
    expect(result).toMatchObject({ ok: false, code: "invalid" });
    if (result.ok) return;
    expect(result.message).toMatch(/^The gateway refused "banner\.png": Plik jest uszkodzony \(4321: /);
    expect(result.message).toContain("“The file could not be converted for MMS”");
    expect(mediaRowsById(app.db).size).toBe(0);
    expect(actor.audit).not.toHaveBeenCalled();
    expect(fs.readdirSync(path.join(dir, "uploads"))).toEqual([]);
  });

  it("is refused the same way for a documented code the sandbox never uses for files", async () => {
    fake.answer("files/add", { error: { code: 1005, type: "InvalidRole", message: "Brak uprawnień do plików MMS" } });
    const { result } = await upload("banner.png", png);
    expect(result).toMatchObject({ ok: false, code: "invalid" });
    if (!result.ok) expect(result.message).toBe('The gateway refused "banner.png": Brak uprawnień do plików MMS');
  });
});

describe("an address the gateway will not import", () => {
  it("is refused on the url field with the gateway's words, whatever the code", async () => {
    fake.answer("files/add", { error: { code: 4102, type: "FileError", message: "Nie można pobrać pliku" } });
    const result = await service().importFromUrl({ url: "https://example.com/promo.png" }, ctx());
    expect(result).toMatchObject({ ok: false, code: "invalid" });
    if (result.ok) return;
    expect(result.message).toMatch(/^The gateway could not import this address: Nie można pobrać pliku \(4102: /);
    expect(result.fieldErrors.url).toEqual([result.message]);
  });
});
