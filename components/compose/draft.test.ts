import { describe, expect, it } from "vitest";
import {
  applyEdit,
  completeIntent,
  DRAFT_RECIPIENTS_KEY,
  EMPTY_DRAFT,
  forgetIntent,
  isEmptyDraft,
  newIdempotencyKey,
  parseDraft,
  readStoredRecipients,
  RECIPIENT_PIECE_CHARS,
  recipientWrites,
  serializeDraft,
  withIntentKey,
  writeStoredRecipients,
  type ComposeDraft,
} from "./draft";

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const filled: ComposeDraft = {
  ...EMPTY_DRAFT,
  title: "Spring sale",
  fileIds: ["a1b2c3d4e5", "f6a7b8c9d0"],
  text: "Only today",
  recipientsText: "500600700\n600700800",
  schedule: { mode: "scheduled", date: "2026-11-26", time: "10:00" },
  options: { batchSize: 100, concurrency: 2 },
};

describe("send intents", () => {
  it("keeps one key per intent until it produced a campaign", () => {
    let keys = 0;
    const make = () => `00000000-0000-4000-8000-00000000000${++keys}`;
    const first = withIntentKey(filled, "send", make);
    const again = withIntentKey(first.draft, "send", make);
    expect(again.key).toBe(first.key);
    expect(again.draft).toBe(first.draft);
    expect(keys).toBe(1);

    const done = completeIntent(again.draft, "send", "11111111-1111-4111-8111-111111111111");
    expect(done.sentCampaignId).toBe("11111111-1111-4111-8111-111111111111");
    expect(withIntentKey(done, "send", make).key).not.toBe(first.key);
  });

  it("gives a test preview and a send different keys", () => {
    const send = withIntentKey(filled, "send");
    const test = withIntentKey(send.draft, "test");
    expect(test.key).not.toBe(send.key);
    expect(test.draft.intents).toEqual({ send: send.key, test: test.key });
  });

  it("drops every key when the user edits the form (a new intent)", () => {
    const { draft } = withIntentKey(withIntentKey(filled, "send").draft, "test");
    const edited = applyEdit(draft, { title: "Spring sale!" });
    expect(edited.intents).toEqual({ send: null, test: null });
    expect(edited.title).toBe("Spring sale!");
  });

  it("drops the key of an intent the server refused for its key, so the next press is a new request", () => {
    const { draft, key } = withIntentKey(withIntentKey(filled, "test").draft, "send");
    const dropped = forgetIntent(draft, "send");
    expect(dropped.intents).toEqual({ send: null, test: draft.intents.test });
    expect(dropped.sentCampaignId).toBeNull();
    expect(withIntentKey(dropped, "send").key).not.toBe(key);
  });

  it("records a finished preview without touching the send key", () => {
    const { draft, key } = withIntentKey(withIntentKey(filled, "send").draft, "test");
    const done = completeIntent(draft, "test", "22222222-2222-4222-8222-222222222222");
    expect(done.previewCampaignId).toBe("22222222-2222-4222-8222-222222222222");
    expect(done.intents.test).toBeNull();
    expect(done.intents.send).not.toBeNull();
    expect(done.intents.send).not.toBe(key);
  });
});

describe("newIdempotencyKey", () => {
  it("is a v4 UUID, also where crypto.randomUUID is missing (plain-http intranet)", () => {
    expect(newIdempotencyKey()).toMatch(UUID_V4);
    // What a page served over plain http gets: getRandomValues, but no randomUUID.
    const insecure: Pick<Crypto, "getRandomValues"> = { getRandomValues: crypto.getRandomValues.bind(crypto) };
    const keys = new Set(Array.from({ length: 50 }, () => newIdempotencyKey(insecure)));
    expect(keys.size).toBe(50);
    for (const key of keys) expect(key).toMatch(UUID_V4);
  });
});

describe("stored drafts", () => {
  it("round-trips, with the recipient list stored apart", () => {
    const { draft } = withIntentKey(filled, "send");
    const json = serializeDraft(draft);
    expect(json).not.toContain("500600700");
    expect(parseDraft(json, draft.recipientsText)).toEqual(draft);
  });

  it("falls back field by field on damaged or foreign data", () => {
    expect(parseDraft(null)).toBeNull();
    expect(parseDraft("{not json")).toBeNull();
    expect(parseDraft("42")).toBeNull();
    expect(
      parseDraft(
        JSON.stringify({
          title: 7,
          fileIds: ["ok", 3],
          schedule: { mode: "later", date: "26.11.2026", time: "10:00" },
          options: { batchSize: "200", concurrency: 3 },
          intents: { send: "not-a-uuid" },
          sentCampaignId: "x",
        }),
      ),
    ).toEqual({
      ...EMPTY_DRAFT,
      fileIds: ["ok"],
      schedule: { mode: "now", date: "", time: "10:00" },
      options: { batchSize: null, concurrency: 3 },
    });
  });

  it("knows an untouched draft without serialising it", () => {
    expect(isEmptyDraft(EMPTY_DRAFT)).toBe(true);
    expect(isEmptyDraft(applyEdit(EMPTY_DRAFT, {}))).toBe(true);
    expect(isEmptyDraft({ ...EMPTY_DRAFT, recipientsText: "5" })).toBe(false);
    expect(isEmptyDraft(withIntentKey(EMPTY_DRAFT, "test").draft)).toBe(false);
  });
});

describe("the stored recipient list", () => {
  function memoryStore() {
    const items = new Map<string, string>();
    return {
      items,
      getItem: (key: string) => items.get(key) ?? null,
      setItem: (key: string, value: string) => void items.set(key, value),
      removeItem: (key: string) => void items.delete(key),
    };
  }

  it("round-trips short and long lists, a long one in pieces", () => {
    const store = memoryStore();
    writeStoredRecipients(store, "500600700\n600700800");
    expect(store.items.size).toBe(1);
    expect(readStoredRecipients(store)).toBe("500600700\n600700800");

    const long = "500600700\n".repeat(Math.ceil((2.5 * RECIPIENT_PIECE_CHARS) / 10));
    writeStoredRecipients(store, long);
    expect(store.items.size).toBe(1 + 3);
    expect(readStoredRecipients(store)).toBe(long);
  });

  it("leaves no stale pieces behind when the list shrinks or is cleared", () => {
    const store = memoryStore();
    writeStoredRecipients(store, "x".repeat(3 * RECIPIENT_PIECE_CHARS));
    writeStoredRecipients(store, "x".repeat(RECIPIENT_PIECE_CHARS + 1));
    expect(store.items.size).toBe(1 + 2);
    writeStoredRecipients(store, "500600700");
    expect([...store.items.keys()]).toEqual([DRAFT_RECIPIENTS_KEY]);
    writeStoredRecipients(store, "");
    expect(store.items.size).toBe(0);
    expect(readStoredRecipients(store)).toBeNull();
  });

  it("never reads back a half-written list, and a later write clears what it left", () => {
    const store = memoryStore();
    writeStoredRecipients(store, "a".repeat(2 * RECIPIENT_PIECE_CHARS));
    const steps = recipientWrites(store, "b".repeat(4 * RECIPIENT_PIECE_CHARS));
    steps.slice(0, 4).forEach((step) => step()); // marker removed, pieces 0–2 of 4 written
    expect(readStoredRecipients(store)).toBeNull();
    writeStoredRecipients(store, "500600700");
    expect([...store.items.keys()]).toEqual([DRAFT_RECIPIENTS_KEY]);
  });

  it("reads a list with a missing piece as no list", () => {
    const store = memoryStore();
    writeStoredRecipients(store, "x".repeat(2 * RECIPIENT_PIECE_CHARS));
    store.removeItem(`${DRAFT_RECIPIENTS_KEY}/1`);
    expect(readStoredRecipients(store)).toBeNull();
  });
});
