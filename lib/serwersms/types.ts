/** App-facing gateway types. Timestamps stay as the gateway's Warsaw `YYYY-MM-DD HH:MM:SS` strings. */
import type { DeliveryStatus } from "./delivery";

export type { DeliveryStatus };

export type GatewayFileType = "mms" | "voice";

/**
 * One item of a gateway answer that could not be read, returned beside the items that could.
 * Says where (its place in the answer's `items`, the field) and why, never what it held: items
 * carry phone numbers.
 */
export type UnreadableItem = { index: number; field: string; reason: string };

export type GatewayFile = {
  id: string;
  name: string;
  /** Bytes; null when the gateway's answer did not say. */
  size: number | null;
  type: GatewayFileType | string | null;
  /** Null when the gateway's answer did not say. */
  uploadedAt: string | null;
};

/** files/index: the files that could be read, and what could not. */
export type FileIndexPage = { items: GatewayFile[]; unreadable: UnreadableItem[] };


export type SendMmsRequest = {
  phones: string[];
  title: string;
  fileIds: string[];
  text?: string;
  /** Already formatted for the gateway by lib/schedule (`YYYY-MM-DD HH:MM`, Warsaw). */
  date?: string;
  test?: boolean;
};

/** `status` of a send answer item the docs list (§3.3); any other word is kept as it came. */
export type SendItemStatus = "queued" | "unsent";

export type SendRecipientResult = {
  /** This item's place in the answer's `items` (items that could not be read keep their places). */
  index: number;
  messageId: string | null;
  phone: string;
  /** "queued" or "unsent", or a word the docs do not list, exactly as the gateway gave it. */
  status: SendItemStatus | (string & {});
  queuedAt: string | null;
  parts: number | null;
  errorCode: number | null;
  errorMessage: string | null;
};

export type SendMmsResult = {
  success: boolean;
  queued: number;
  unsent: number;
  recipients: SendRecipientResult[];
  unreadable: UnreadableItem[];
  /** How many items the answer had, readable or not. */
  itemCount: number;
};

export type DeliveryReport = {
  messageId: string;
  phone: string;
  /** One of DELIVERY_STATUSES (delivery.ts), or a word they do not list, exactly as the gateway gave it. */
  status: DeliveryStatus | (string & {});
  queuedAt: string | null;
  sentAt: string | null;
  deliveredAt: string | null;
  /** As the gateway gave it; delivery.ts explains the listed ones. */
  reason: string | null;
  title: string | null;
  /**
   * The report's `attachments` ids (reference §3.4), null when the gateway gave none. The gateway saves
   * an MMS's text as a file and attaches it (https://dev.serwersms.pl/en/https-api-v2/sending-mms-messages),
   * so this can hold more ids than the send named.
   */
  fileIds: string[] | null;
};

export type ReportsQuery = {
  ids?: string[];
  phones?: string[];
  dateFrom?: string;
  dateTo?: string;
  status?: DeliveryStatus;
  page?: number;
  limit?: number;
};

export type ReportsPage = { reports: DeliveryReport[]; unreadable: UnreadableItem[]; page: number; pageCount: number };

/** A count, one of the two documented words (§3.5), or a value the docs do not list, exactly as the gateway gave it. */
export type LimitValue = number | "no_limit" | "not_available" | (string & {});

export type AccountLimits = {
  accountType: string | null;
  items: { type: string; charsLimit: string | null; value: LimitValue }[];
  /** MMS credit left, or null when the gateway did not list MMS (or its item could not be read: see `unreadable`). */
  mms: LimitValue | null;
  unreadable: UnreadableItem[];
};

/** `deleted` (the gateway's `correct`) and `failed` are null when the answer left them out. */
export type DeleteMessagesResult = { success: boolean; deleted: number | null; failed: number | null };
