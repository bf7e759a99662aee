import type { FaultPlan } from "@/lib/sandbox/faults";

/** Which encodings of a disk upload's `file` the sandbox reads: base64 text (JSON/form), a multipart part, or both. */
export const UPLOAD_ENCODINGS = ["both", "base64", "multipart"] as const;
export type UploadEncodings = (typeof UPLOAD_ENCODINGS)[number];

export type SandboxOptions = {
  /** Uploaded files are stored under <dataDir>/files/<id>. */
  dataDir: string;
  /** SQLite file for this sandbox instance (the ledger); created and migrated on open. */
  dbPath: string;
  /** Accepted credentials: a Bearer token, or username/password in the body. */
  token: string;
  username: string;
  password: string;
  /** Test-only admin endpoint (`__admin/*`) on/off. */
  adminEnabled: boolean;
  /** Added to every gateway request. */
  latencyMs?: number;
  /** Initial MMS credit when the DB is new (default 1 000 000); also what reset() restores. */
  mmsLimit?: number;
  /** Hostnames/IPs the URL fetcher may reach even if loopback/private (tests only). */
  urlAllowlist?: string[];
  /** Initial fault plan. */
  faults?: FaultPlan;
  /** Default 2000 / 6000 ms after dispatch. */
  deliveryTimeline?: { sentAfterMs: number; finalAfterMs: number };
  /** Clock in ms; default Date.now. The admin endpoint can add an offset. */
  now?: () => number;
  /** Default 20 MiB. */
  maxFileBytes?: number;
  /**
   * Push delivery reports and injected replies to this URL, as the SerwerSMS panel does when push is
   * enabled (lib/sandbox/push.ts). The admin endpoint can change it at run time.
   */
  pushUrl?: string;
  /** Default "both"; the admin endpoint can change it (`__admin/upload-encodings`), reset() restores this. */
  uploadEncodings?: UploadEncodings;
};

export type LedgerEntry = {
  id: string;
  phone: string;
  title: string;
  fileIds: string[];
  text: string | null;
  /** Status when accepted ("saved" = scheduled for a later time), or "deleted" once cancelled. */
  status: "queued" | "saved" | "deleted";
  /** Gateway timestamp (Warsaw `YYYY-MM-DD HH:MM:SS`). */
  queuedAt: string;
  scheduledFor: string | null;
  /** k of the k-th accepted (non-test) send_mms call. */
  sendCall: number;
  requestId: string;
};

export type SandboxStats = {
  /** Accepted (non-test) send_mms calls, and test ones; both kept in the sandbox database. */
  sendMmsCalls: number;
  sendMmsTestCalls: number;
  /** Gateway requests of any action (admin calls not counted). */
  requests: number;
  /** messages/send_mms requests (test, refused and faulted ones too) being handled right now. */
  sendMmsInFlight: number;
  /**
   * The most messages/send_mms requests handled at the same time, from arrival to answer, since the
   * sandbox started or reset(): what shows a client's cap on sends in flight held. In memory, this instance only.
   */
  maxConcurrentSendMms: number;
};

export type Sandbox = {
  /** Handles one gateway request. `action` = path after the mount, e.g. "messages/send_mms", "messages/send_mms.json" or "__admin/faults". */
  handle(request: Request, action: string): Promise<Response>;
  setFaults(plan: FaultPlan): void;
  ledger(opts?: { includeDeleted?: boolean }): LedgerEntry[];
  stats(): SandboxStats;
  /** Empties ledger, files, counters (maxConcurrentSendMms starts over from what is in flight), faults and the clock offset; restores the MMS credit. */
  reset(): void;
  close(): void;
};
