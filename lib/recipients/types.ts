/** One candidate recipient as the user supplied it, before any checking. */
export type RecipientEntry = {
  raw: string;
  /** 1-based line of the pasted text, or 1-based row of the file (the header row counts), so people can find it. */
  line: number;
};

export type RejectionReason = "invalid" | "duplicate" | "empty";

export type RejectedRecipient = {
  line: number;
  raw: string;
  reason: RejectionReason;
  message: string;
  duplicateOfLine?: number;
};

export type ValidRecipient = { e164: string; line: number };

export type RecipientCounts = {
  valid: number;
  invalid: number;
  duplicates: number;
  empty: number;
  total: number;
};

export type RecipientPlan = {
  /** In input order; each number appears once. */
  valid: ValidRecipient[];
  /** In input order. */
  rejected: RejectedRecipient[];
  counts: RecipientCounts;
  /** More valid numbers than one campaign may carry; the list is kept whole so the user can see what to cut. */
  overLimit: boolean;
};

/** The spreadsheet column the numbers were taken from. */
export type PhoneColumn = {
  /** 0-based. */
  index: number;
  /** As spreadsheets label columns: A, B, …, Z, AA. */
  letter: string;
  header: string | null;
};
