import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { startFileServer, startTestSandbox, TEST_PASSWORD, TEST_TOKEN, wavBytes, type TestSandbox } from "@/tests/support/sandbox";

/*
 * Conformance replay (issue 12 item 7): every request seven official SerwerSMS clients sent through a
 * logging proxy (API reference §9.4; copied from ../shared/fixtures so this runs without that folder)
 * is sent again to a fresh sandbox. The recorded file and message ids are mapped to ones created here
 * first, the recorded loopback file server to one started here, and the credentials to this sandbox's
 * (Bearer or body, as recorded). Every answer must have the documented shape (§3, §4), and each request
 * the vendor expects to succeed must succeed; which ones expect an error is decided from the step text.
 */

type Sample = {
  client: string;
  step: string;
  method: string;
  path: string;
  content_type: string;
  auth: "bearer" | "body";
  body: string;
  sandbox_status_at_capture: number;
};

const SAMPLES: Sample[] = fs
  .readFileSync(path.join(process.cwd(), "tests", "fixtures", "official-client-requests.jsonl"), "utf8")
  .split("\n")
  .filter((line) => line.trim() !== "")
  .map((line) => JSON.parse(line) as Sample);

// The capture ran on 2026-12-01/02; its scheduled sends name 2026-12-03…06, which must still lie ahead.
const NOW = Date.parse("2026-12-02T09:00:00Z");
const RECORDED_FILE_SERVER = ["127.0.0.1:8765", "127.0.0.1%3A8765"];
const WRONG = { token: "wrong-token-0000000000", password: "wrong-password" };

/** Requests the vendor expects to fail, by step text, with the documented code they must get. */
const EXPECTED_ERRORS: { step: RegExp; code: number; why: string }[] = [
  { step: /bad (token|creds|credentials)/i, code: 1001, why: "wrong credentials (reference §2)" },
  { step: /title 41 chars/i, code: 3102, why: "the title may have 40 characters (brief; §3.2)" },
  { step: /unknown file id/i, code: 1004, why: "invalid ID parameter (§4)" },
  { step: /files\.add\('mms'\) \(sends only type\)/, code: 2000, why: "the Node client cannot pass url or file: missing required parameters (§4, §9.4)" },
  { step: /'file' => fopen/, code: 2000, why: "PHP posts an empty body for a file handle: missing required parameters (§9.4)" },
  { step: /^\s*error\/1000/, code: 1000, why: "error/<code> answers that code's envelope; clients raise it (§6.8)" },
];
/** Deleting a message that is not scheduled: the official tests expect success:false (§3.4, §6.5). */
const NOT_CANCELLABLE = /delete (already[- ]sent|non-scheduled)|already sent/i;
const SCHEDULED_DELETE = /delete scheduled/i;

const GATEWAY_ID = /^[0-9a-f]{10}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

// Documented answer shapes (reference §3, §4); extra fields are allowed, as a gateway may add some.
const ErrorShape = z.object({ error: z.object({ code: z.number().int(), type: z.string().min(1), message: z.string() }) });
const FileItem = z.object({ id: z.string().regex(GATEWAY_ID), name: z.string(), size: z.number().int().positive(), type: z.enum(["mms", "voice"]), date: z.string().regex(TIMESTAMP) });
const SendItem = z.object({
  id: z.string().regex(GATEWAY_ID),
  phone: z.string(),
  status: z.enum(["queued", "unsent"]),
  queued: z.string().regex(TIMESTAMP),
  parts: z.number().int().optional(),
  error_code: z.number().int().optional(),
  error_message: z.string().optional(),
  text: z.string().optional(),
});
const ReportItem = z.object({
  id: z.string().regex(GATEWAY_ID),
  phone: z.string(),
  status: z.enum(["delivered", "undelivered", "pending", "sent", "unsent", "in_progress", "saved"]),
  queued: z.string().regex(TIMESTAMP),
  sent: z.string().regex(TIMESTAMP).nullable(),
  delivered: z.string().regex(TIMESTAMP).nullable(),
  type: z.string(),
  text: z.string(),
  cost: z.number(),
  attachments: z.array(z.object({ id: z.string() })),
  reason: z.string().nullable(),
});
const SUCCESS_SHAPES: Record<string, z.ZodType> = {
  "files/add": z.object({ success: z.literal(true), id: z.string().regex(GATEWAY_ID) }),
  "files/index": z.object({ items: z.array(FileItem) }),
  "files/view": FileItem,
  "messages/send_mms": z.object({ success: z.literal(true), queued: z.number().int(), unsent: z.number().int(), items: z.array(SendItem).optional() }),
  "messages/reports": z.object({ paging: z.object({ page: z.number().int(), count: z.number().int() }), items: z.array(ReportItem) }),
  "messages/view": ReportItem,
  "messages/delete": z.object({ success: z.boolean(), correct: z.number().int().optional(), failed: z.number().int().optional() }),
  "messages/recived": z.object({ items: z.array(z.unknown()) }),
  "messages/received": z.object({ items: z.array(z.unknown()) }),
  "account/limits": z.object({
    account: z.object({ type: z.string() }),
    // Official tests read items[0].type == "eco" (§6.7); value is always a string (§3.5).
    items: z.array(z.object({ type: z.string(), chars_limit: z.string(), value: z.string() })).refine((items) => items[0]?.type === "eco", "items[0].type must be eco"),
  }),
  "account/help": z.object({ telephone: z.string() }),
  "account/messages": z.object({ items: z.array(z.unknown()) }),
};

/**
 * Documented requests the sandbox still refuses (answered 1000 InvalidAction, the documented shape for
 * an action a gateway does not offer), and why. The closing note prints this list; a test keeps it true.
 */
const KNOWN_GAPS: { action: string; body: Record<string, unknown>; why: string }[] = [
  { action: "messages/send_sms", body: { phone: "500600700", text: "Hi", test: true, details: true }, why: "SMS is not modelled: the product sends MMS only" },
  { action: "messages/send_personalized", body: { messages: [{ phone: "500600700", text: "Hi" }], test: true }, why: "personalised SMS is not modelled (SMS only)" },
  { action: "messages/send_voice", body: { phone: "500600700", text: "Hi", test: true }, why: "voice messages are not modelled (the sandbox stores voice files, but never calls)" },
  { action: "senders/add", body: { name: "NewSender" }, why: "sender names are for SMS; keeping one needs a senders table, a schema change this round does not make" },
  { action: "account/add", body: {}, why: "subaccounts are not modelled (demo answers 4312, whose meaning is undocumented)" },
];

/** Documented requests from the official tests (§6) that the capture does not hold, now implemented. */
const DOCUMENTED_EXTRAS: { action: string; body: Record<string, unknown>; shape: z.ZodType }[] = [
  { action: "senders/index", body: { personalized: true }, shape: z.object({ items: z.array(z.object({ name: z.string(), agreement: z.string(), status: z.string() })) }) },
  { action: "phones/test", body: { phone: "500600700" }, shape: z.object({ correct: z.literal(true) }) },
  { action: "account/messages", body: {}, shape: z.object({ items: z.array(z.unknown()) }) },
  { action: "account/help", body: {}, shape: z.object({ telephone: z.string() }) },
];

const actionOf = (sample: Sample) => sample.path.replace(/\.json$/i, "");
const isBadCredentials = (sample: Sample) => EXPECTED_ERRORS[0]?.step.test(sample.step) ?? false;

/** Every (key, value) of a recorded body, arrays, `x[0]` keys and comma lists flattened. */
function bodyEntries(sample: Sample): [string, string][] {
  if (sample.body.trim() === "") return [];
  const flat = (key: string, value: unknown): [string, string][] =>
    Array.isArray(value) ? value.flatMap((v) => flat(key, v)) : typeof value === "string" ? value.split(",").map((v) => [key, v.trim()]) : [];
  if (sample.content_type.includes("json")) return Object.entries(JSON.parse(sample.body) as Record<string, unknown>).flatMap(([k, v]) => flat(k, v));
  return [...new URLSearchParams(sample.body)].flatMap(([k, v]) => flat(k.replace(/\[[^\]]*\]$/, ""), v));
}

/** The recorded ids this replay must create first: files, messages cancelled as scheduled, other messages. */
function recordedIds() {
  const files = new Set<string>();
  const scheduled = new Set<string>();
  const sent = new Set<string>();
  for (const sample of SAMPLES) {
    if (/unknown file id/i.test(sample.step)) continue; // its id must stay unknown
    const action = actionOf(sample);
    for (const [key, value] of bodyEntries(sample)) {
      if (!GATEWAY_ID.test(value)) continue;
      if (key === "file_id" || (key === "id" && action.startsWith("files/"))) files.add(value);
      else if (key === "id" && action.startsWith("messages/")) (SCHEDULED_DELETE.test(sample.step) ? scheduled : sent).add(value);
    }
  }
  for (const id of scheduled) sent.delete(id);
  return { files: [...files], scheduled: [...scheduled], sent: [...sent] };
}

let gw: TestSandbox;
let fileServer: Awaited<ReturnType<typeof startFileServer>>;
const idMap = new Map<string, string>();

beforeAll(async () => {
  const jpeg = fs.readFileSync(path.join(process.cwd(), "tests", "fixtures", "media", "photo.jpg"));
  fileServer = await startFileServer({
    "/green.jpg": (res) => res.writeHead(200, { "content-type": "image/jpeg" }).end(jpeg),
    "/demo.wav": (res) => res.writeHead(200, { "content-type": "audio/wav" }).end(wavBytes()),
    "/nothing.wav": (res) => res.writeHead(200, { "content-type": "audio/wav" }).end(wavBytes()),
  });
  // Body credentials are recorded as username "demo" and "<password>".
  gw = await startTestSandbox({ now: () => NOW, username: "demo", urlAllowlist: ["127.0.0.1"] });

  const recorded = recordedIds();
  for (const id of recorded.files) idMap.set(id, await gw.uploadPng(`file-${id}.png`));
  const fileId = idMap.get(recorded.files[0] ?? "") ?? (await gw.uploadPng());
  const create = async (ids: string[], date?: string) => {
    if (ids.length === 0) return;
    const phones = ids.map((_, i) => `+4850060${String(i).padStart(4, "0")}`);
    const answer = await gw.call("messages/send_mms", { phone: phones, title: "Replay setup", file_id: fileId, details: true, date });
    ids.forEach((id, i) => idMap.set(id, answer.items[i].id));
  };
  await create(recorded.sent);
  await create(recorded.scheduled, "2026-12-20 10:00");
});

afterAll(async () => {
  await gw?.dispose();
  await fileServer?.close();
  // The closing note (issue 12 "Must show"): documented requests the sandbox still refuses, and why.
  console.info(
    ["Conformance replay: every captured request answered. Documented requests the sandbox still refuses:", ...KNOWN_GAPS.map((gap) => `  - ${gap.action}: ${gap.why}`)].join("\n"),
  );
});

/** The sample as this sandbox must receive it: mapped ids, the local file server, our credentials. */
function replayed(sample: Sample): { headers: Record<string, string>; body: string } {
  let body = sample.body;
  for (const [recordedId, id] of idMap) body = body.split(recordedId).join(id);
  const host = new URL(fileServer.url("/")).host;
  for (const recordedHost of RECORDED_FILE_SERVER) body = body.split(recordedHost).join(recordedHost.includes("%3A") ? encodeURIComponent(host) : host);
  const password = isBadCredentials(sample) ? WRONG.password : TEST_PASSWORD;
  body = body.split("<password>").join(password);
  const headers: Record<string, string> = {};
  if (sample.content_type) headers["content-type"] = sample.content_type;
  if (sample.auth === "bearer") headers.authorization = `Bearer ${isBadCredentials(sample) ? WRONG.token : TEST_TOKEN}`;
  return { headers, body };
}

describe("conformance replay of the official clients' requests", () => {
  it("holds the whole capture, and maps every recorded id it uses", () => {
    expect(SAMPLES).toHaveLength(101);
    const { files, scheduled, sent } = recordedIds();
    expect(files.length).toBeGreaterThan(0);
    expect(scheduled.length).toBeGreaterThan(0);
    expect(sent.length).toBeGreaterThan(0);
  });

  it.each(SAMPLES.map((sample, index) => [`${index + 1} ${sample.client}: ${sample.step.trim()} (${sample.path})`, sample] as const))(
    "%s",
    async (_label, sample) => {
      const action = actionOf(sample);
      const { headers, body } = replayed(sample);
      const response = await fetch(gw.baseUrl + sample.path, { method: sample.method, headers, body: body === "" ? undefined : body });
      expect(response.status).toBe(sample.sandbox_status_at_capture);
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
      const answer = (await response.json()) as Record<string, unknown>;

      const expectedError = EXPECTED_ERRORS.find((expected) => expected.step.test(sample.step));
      if (expectedError) {
        expect(ErrorShape.parse(answer).error.code, expectedError.why).toBe(expectedError.code);
        return;
      }
      const shape = SUCCESS_SHAPES[action];
      expect(shape, `no documented shape for ${action}`).toBeDefined();
      expect(ErrorShape.safeParse(answer).success, `refused: ${JSON.stringify(answer)}`).toBe(false);
      const parsed = shape!.safeParse(answer);
      expect(parsed.success, parsed.success ? "" : `${action} answer does not have the documented shape: ${parsed.error.message}\n${JSON.stringify(answer)}`).toBe(true);

      const entries = bodyEntries(sample);
      if (action === "messages/send_mms" && entries.some(([key, value]) => key === "details" && value === "true")) {
        // details=true: one item per recipient, in order (the official README loops read them).
        expect((answer.items as unknown[]).length).toBe(entries.filter(([key]) => key === "phone").length);
      }
      if (action === "messages/delete") {
        if (NOT_CANCELLABLE.test(sample.step)) expect(answer).toMatchObject({ success: false });
        else {
          expect(SCHEDULED_DELETE.test(sample.step)).toBe(true);
          expect(answer).toMatchObject({ success: true, correct: entries.filter(([key]) => key === "id").length, failed: 0 });
        }
      }
    },
  );
});

describe("documented requests beyond the capture (official tests, reference §6)", () => {
  it.each(DOCUMENTED_EXTRAS.map((extra) => [extra.action, extra] as const))("%s answers its documented shape", async (_action, extra) => {
    const answer = await gw.call(extra.action, extra.body);
    const parsed = extra.shape.safeParse(answer);
    expect(parsed.success, JSON.stringify(answer)).toBe(true);
  });

  it.each(KNOWN_GAPS.map((gap) => [gap.action, gap] as const))("known gap, still refused with the documented envelope: %s", async (_action, gap) => {
    expect(ErrorShape.parse(await gw.call(gap.action, gap.body)).error).toMatchObject({ code: 1000, type: "InvalidAction" });
  });
});
