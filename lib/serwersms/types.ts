/** App-facing gateway types. Timestamps stay as the gateway's Warsaw `YYYY-MM-DD HH:MM:SS` strings. */

export type GatewayFileType = "mms" | "voice";

export type GatewayFile = {
  id: string;
  name: string;
  size: number;
  type: GatewayFileType | string;
  uploadedAt: string;
};

export type SendMmsRequest = {
  phones: string[];
  title: string;
  fileIds: string[];
  text?: string;
  /** Already formatted for the gateway by lib/schedule (`YYYY-MM-DD HH:MM`, Warsaw). */
  date?: string;
  test?: boolean;
};

export type SendRecipientResult = {
  messageId: string | null;
  phone: string;
  status: "queued" | "unsent";
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
};

export type DeliveryStatus = "delivered" | "undelivered" | "pending" | "sent" | "unsent" | "in_progress" | "saved";

export type DeliveryReport = {
  messageId: string;
  phone: string;
  status: DeliveryStatus;
  queuedAt: string | null;
  sentAt: string | null;
  deliveredAt: string | null;
  reason: string | null;
  title: string | null;
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

export type ReportsPage = { reports: DeliveryReport[]; page: number; pageCount: number };

export type LimitValue = number | "no_limit" | "not_available";

export type AccountLimits = {
  accountType: string | null;
  items: { type: string; charsLimit: string | null; value: LimitValue }[];
  /** MMS credit left, or null when the gateway did not list MMS at all. */
  mms: LimitValue | null;
};

export type DeleteMessagesResult = { success: boolean; deleted: number; failed: number };
