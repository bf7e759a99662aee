/**
 * The composer's draft: what the user typed and chose, plus the idempotency keys of the send intents
 * in flight. It lives in sessionStorage (one tab, survives a reload, gone when the tab closes), so a
 * reload neither loses work nor forgets which key a half-finished send used.
 */

export type ScheduleDraft = { mode: "now" | "scheduled"; date: string; time: string };

/** null = the server's default. */
export type SendOptionsDraft = { batchSize: number | null; concurrency: number | null };

/** A test preview and a real send are different intents, so they never share a key. */
export type IntentKind = "send" | "test";

export type ComposeDraft = {
  title: string;
  fileIds: string[];
  text: string;
  recipientsText: string;
  /** Name of an imported CSV/XLSX file. Its content is not kept, so after a reload it has to be chosen again. */
  recipientsFile: string | null;
  schedule: ScheduleDraft;
  options: SendOptionsDraft;
  intents: Record<IntentKind, string | null>;
  /** The last test preview, shown under the form. */
  previewCampaignId: string | null;
  /** Set once a real send or schedule produced a campaign: the composer then shows its progress. */
  sentCampaignId: string | null;
};

/** The fields a person edits; changing any of them is a new intent. */
export type DraftEdit = Partial<Pick<ComposeDraft, "title" | "fileIds" | "text" | "recipientsText" | "recipientsFile" | "schedule" | "options">>;

export const DRAFT_STORAGE_KEY = "mms-compose-draft/v1";
/**
 * The recipient list is stored under its own key and written only when it changed: it can be
 * megabytes, and the rest of the draft is saved after every pause in typing.
 */
export const DRAFT_RECIPIENTS_KEY = "mms-compose-draft/v1/recipients";

/**
 * Chromium blocked the page for 60–155 ms storing a 1.3 MB list (100 000 numbers) with one setItem,
 * and still for 100–300 ms writing it as pieces in one go. A long list is therefore stored as pieces
 * of 64 Ki characters under `<key>/<n>`, one piece per task (see useComposeDraft), and the key itself
 * holds a marker with their number, written last: a half-written list is never read back.
 */
export const RECIPIENT_PIECE_CHARS = 64 * 1024;
const PIECES_MARKER = "\u0000pieces:";

type KeyValueStore = Pick<Storage, "getItem" | "setItem" | "removeItem">;

const pieceKey = (index: number) => `${DRAFT_RECIPIENTS_KEY}/${index}`;

function markerCount(head: string | null): number {
  if (head === null || !head.startsWith(PIECES_MARKER)) return 0;
  const count = Number(head.slice(PIECES_MARKER.length));
  return Number.isInteger(count) && count > 0 ? count : 0;
}

/**
 * The small steps that store the recipient list ("" removes it), to run in order: each touches at
 * most one piece. An interrupted sequence leaves no list (the marker goes first) rather than a wrong one.
 */
export function recipientWrites(store: KeyValueStore, recipientsText: string): (() => void)[] {
  // Pieces of an earlier list, also of a sequence that was interrupted before its marker.
  let before = markerCount(store.getItem(DRAFT_RECIPIENTS_KEY));
  while (store.getItem(pieceKey(before)) !== null) before++;
  const pieces = recipientsText.length > RECIPIENT_PIECE_CHARS ? Math.ceil(recipientsText.length / RECIPIENT_PIECE_CHARS) : 0;
  const cleanUp = () => {
    for (let index = pieces; index < before; index++) store.removeItem(pieceKey(index));
  };
  if (recipientsText === "") return [() => store.removeItem(DRAFT_RECIPIENTS_KEY), cleanUp];
  if (pieces === 0) return [() => store.setItem(DRAFT_RECIPIENTS_KEY, recipientsText), cleanUp];
  return [
    () => store.removeItem(DRAFT_RECIPIENTS_KEY),
    ...Array.from({ length: pieces }, (_, index) => () => {
      store.setItem(pieceKey(index), recipientsText.slice(index * RECIPIENT_PIECE_CHARS, (index + 1) * RECIPIENT_PIECE_CHARS));
    }),
    () => store.setItem(DRAFT_RECIPIENTS_KEY, `${PIECES_MARKER}${pieces}`),
    cleanUp,
  ];
}

/** Stores the recipient list at once (see recipientWrites). */
export function writeStoredRecipients(store: KeyValueStore, recipientsText: string): void {
  for (const step of recipientWrites(store, recipientsText)) step();
}

/** The stored recipient list, or null when there is none (or a piece is missing). */
export function readStoredRecipients(store: KeyValueStore): string | null {
  const head = store.getItem(DRAFT_RECIPIENTS_KEY);
  if (head === null || !head.startsWith(PIECES_MARKER)) return head;
  const count = markerCount(head);
  let text = "";
  for (let index = 0; index < count; index++) {
    const piece = store.getItem(pieceKey(index));
    if (piece === null) return null;
    text += piece;
  }
  return text;
}

const NO_INTENTS: ComposeDraft["intents"] = { send: null, test: null };

export const EMPTY_DRAFT: ComposeDraft = {
  title: "",
  fileIds: [],
  text: "",
  recipientsText: "",
  recipientsFile: null,
  schedule: { mode: "now", date: "", time: "" },
  options: { batchSize: null, concurrency: null },
  intents: NO_INTENTS,
  previewCampaignId: null,
  sentCampaignId: null,
};

/** An edit invalidates the keys: the next click is a different request and must be allowed to send. */
export function applyEdit(draft: ComposeDraft, edit: DraftEdit): ComposeDraft {
  return { ...draft, ...edit, intents: NO_INTENTS };
}

/** The key of the current intent of this kind, creating (and recording) one when there is none yet. */
export function withIntentKey(draft: ComposeDraft, kind: IntentKind, makeKey: () => string = () => newIdempotencyKey()): { draft: ComposeDraft; key: string } {
  const existing = draft.intents[kind];
  if (existing) return { draft, key: existing };
  const key = makeKey();
  return { draft: { ...draft, intents: { ...draft.intents, [kind]: key } }, key };
}

/**
 * The server refused the intent's key itself (used by another user, or for another request): nothing
 * was sent, and only a new key can send this form.
 */
export function forgetIntent(draft: ComposeDraft, kind: IntentKind): ComposeDraft {
  return { ...draft, intents: { ...draft.intents, [kind]: null } };
}

/** The intent produced a campaign: the key has done its job and must not be reused for the next one. */
export function completeIntent(draft: ComposeDraft, kind: IntentKind, campaignId: string): ComposeDraft {
  const intents = { ...draft.intents, [kind]: null };
  return kind === "test" ? { ...draft, intents, previewCampaignId: campaignId } : { ...draft, intents, sentCampaignId: campaignId };
}

const HEX = "0123456789abcdef";

/**
 * A v4 UUID. crypto.randomUUID exists only in secure contexts (https, localhost); an intranet install
 * served over plain http still has getRandomValues.
 */
export function newIdempotencyKey(random: Pick<Crypto, "getRandomValues"> & Partial<Pick<Crypto, "randomUUID">> = crypto): string {
  if (typeof random.randomUUID === "function") return random.randomUUID();
  const bytes = random.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  let out = "";
  bytes.forEach((byte, index) => {
    if (index === 4 || index === 6 || index === 8 || index === 10) out += "-";
    out += HEX[byte >> 4]! + HEX[byte & 15]!;
  });
  return out;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^\d{2}:\d{2}$/;

const text = (value: unknown, fallback = ""): string => (typeof value === "string" ? value : fallback);
const uuidOrNull = (value: unknown): string | null => (typeof value === "string" && UUID.test(value) ? value : null);
const intOrNull = (value: unknown): number | null => (typeof value === "number" && Number.isInteger(value) ? value : null);

/**
 * Reads a stored draft field by field: whatever is damaged or from an older version falls back to
 * empty instead of breaking the page. (Hand-written rather than zod so the page does not need zod
 * before the first paint.)
 */
export function parseDraft(json: string | null, recipientsText: string | null = null): ComposeDraft | null {
  if (!json) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return null;
  }
  if (!raw || typeof raw !== "object") return null;
  const r = raw as Record<string, unknown>;
  const schedule = (r.schedule && typeof r.schedule === "object" ? r.schedule : {}) as Record<string, unknown>;
  const options = (r.options && typeof r.options === "object" ? r.options : {}) as Record<string, unknown>;
  const intents = (r.intents && typeof r.intents === "object" ? r.intents : {}) as Record<string, unknown>;
  return {
    title: text(r.title),
    fileIds: Array.isArray(r.fileIds) ? r.fileIds.filter((id): id is string => typeof id === "string") : [],
    text: text(r.text),
    recipientsText: recipientsText ?? "",
    recipientsFile: typeof r.recipientsFile === "string" && r.recipientsFile !== "" ? r.recipientsFile : null,
    schedule: {
      mode: schedule.mode === "scheduled" ? "scheduled" : "now",
      date: DATE.test(text(schedule.date)) ? text(schedule.date) : "",
      time: TIME.test(text(schedule.time)) ? text(schedule.time) : "",
    },
    options: { batchSize: intOrNull(options.batchSize), concurrency: intOrNull(options.concurrency) },
    intents: { send: uuidOrNull(intents.send), test: uuidOrNull(intents.test) },
    previewCampaignId: uuidOrNull(r.previewCampaignId),
    sentCampaignId: uuidOrNull(r.sentCampaignId),
  };
}

/** Everything but the recipient list (see DRAFT_RECIPIENTS_KEY). */
export function serializeDraft(draft: ComposeDraft): string {
  const { recipientsText: _storedApart, ...rest } = draft;
  return JSON.stringify(rest);
}

/** Field by field: serialising a 100 000-number draft just to compare it would be wasted work. */
export function isEmptyDraft(draft: ComposeDraft): boolean {
  const { schedule, options, intents } = draft;
  return (
    draft.title === "" &&
    draft.fileIds.length === 0 &&
    draft.text === "" &&
    draft.recipientsText === "" &&
    draft.recipientsFile === null &&
    schedule.mode === "now" &&
    schedule.date === "" &&
    schedule.time === "" &&
    options.batchSize === null &&
    options.concurrency === null &&
    intents.send === null &&
    intents.test === null &&
    draft.previewCampaignId === null &&
    draft.sentCampaignId === null
  );
}
