import { z } from "zod";
import { formatGatewayTimestamp } from "@/lib/time/warsaw";
import { deliveryTransitions, type DeliveryTimeline } from "@/lib/sandbox/delivery";
import type { SandboxStore } from "@/lib/sandbox/store";

/**
 * The sandbox's side of push delivery reports (reference §9.3): like the SerwerSMS panel with push
 * enabled, it calls a configured URL with each report status change and with replies a test injects.
 *
 * Its parameter names are its own copy of §9.3, on purpose: the double must not share the app's table
 * (lib/push/params.ts), or a wrong name there would pass in both. "legacy" uses the only names on
 * record (the vendor's old e-commerce module); "v2" the report fields of messages/reports and the
 * reply fields of messages/recived.
 */
export const PUSH_NAMES = {
  legacy: {
    report: { id: "smsid", status: "stan", at: "data" },
    reply: { phone: "numer", text: "wiadomosc", at: "data" },
  },
  v2: {
    report: { id: "id", status: "status", at: "delivered", reason: "reason" },
    reply: { phone: "phone", text: "text", at: "recived", messageId: "message_id", id: "id" },
  },
} as const;

export const PushTargetSchema = z.object({
  /** "" turns pushing off (a JSON null would be dropped by the parameter parser). */
  url: z.string().refine((value) => value === "" || (/^https?:\/\//i.test(value) && URL.canParse(value)), "must be an http(s) URL, or empty to stop pushing"),
  method: z.enum(["POST", "GET"]).default("POST"),
  /** POST bodies only. */
  format: z.enum(["form", "json"]).default("form"),
  names: z.enum(["legacy", "v2"]).default("legacy"),
});
export type PushTarget = z.output<typeof PushTargetSchema>;

export const InjectedReplySchema = z.object({
  phone: z.string().trim().min(1).max(32),
  text: z.string().min(1).max(2000),
  /** The message it answers; sent only with the v2 names (the legacy module has no such field). */
  messageId: z.string().trim().min(1).max(64).optional(),
});

type Pending = { fields: Record<string, string>; attempts: number };

/** A push that did not get `OK` is tried again on the next round, at most this many times in all. */
const MAX_ATTEMPTS = 5;
const PUSH_TIMEOUT_MS = 5_000;
/** How often status changes are looked for while a URL is set. */
const SCAN_INTERVAL_MS = 1_000;

export type PushRound = { pushed: number; failed: number; pending: number };

export class SandboxPusher {
  private target: PushTarget | null;
  /** Changes up to this sandbox time have been queued. */
  private scannedUpTo: number;
  private queue: Pending[] = [];
  private tail: Promise<unknown> = Promise.resolve();
  private timer: ReturnType<typeof setInterval> | null = null;
  private replySeq = 0;

  constructor(
    private readonly store: SandboxStore,
    private readonly now: () => number,
    private readonly timeline: DeliveryTimeline,
    private readonly initialUrl: string | undefined,
  ) {
    this.scannedUpTo = now() - 1;
    this.target = null;
    this.configure(initialUrl ? PushTargetSchema.parse({ url: initialUrl }) : null);
  }

  current(): PushTarget | null {
    return this.target;
  }

  /** Null (or an empty url) turns pushing off. Changes from this instant on are pushed. */
  configure(target: PushTarget | null): PushTarget | null {
    this.target = target?.url ? target : null;
    // Rounds take changes in (scannedUpTo, now]: a message accepted in this very millisecond counts.
    this.scannedUpTo = this.now() - 1;
    this.queue = [];
    if (this.target && !this.timer) {
      this.timer = setInterval(() => void this.flush().catch(() => undefined), SCAN_INTERVAL_MS);
      this.timer.unref?.();
    } else if (!this.target && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
    return this.target;
  }

  reset(): void {
    this.configure(this.initialUrl ? PushTargetSchema.parse({ url: this.initialUrl }) : null);
  }

  close(): void {
    this.configure(null);
  }

  /** Queues a reply as if a recipient had answered, and pushes it with whatever else is due. */
  async injectReply(reply: z.output<typeof InjectedReplySchema>): Promise<PushRound> {
    if (!this.target) throw new Error("No push URL is set");
    const names = PUSH_NAMES[this.target.names].reply;
    const fields: Record<string, string> = { [names.phone]: reply.phone, [names.text]: reply.text, [names.at]: formatGatewayTimestamp(new Date(this.now())) };
    if ("messageId" in names && reply.messageId) fields[names.messageId] = reply.messageId;
    if ("id" in names) fields[names.id] = String(++this.replySeq);
    this.queue.push({ fields, attempts: 0 });
    return this.flush();
  }

  /** Queues every status change since the last round and pushes the queue, one request at a time. */
  flush(): Promise<PushRound> {
    // Rounds never overlap: each starts when the one before it has finished.
    const next = this.tail.then(() => this.runRound());
    this.tail = next.catch(() => undefined);
    return next;
  }

  private async runRound(): Promise<PushRound> {
    const target = this.target;
    if (!target) return { pushed: 0, failed: 0, pending: 0 };
    this.queueChanges(target);
    let pushed = 0;
    let failed = 0;
    const retry: Pending[] = [];
    while (this.queue.length > 0) {
      const item = this.queue.shift()!;
      if (await this.send(target, item.fields)) pushed++;
      else {
        failed++;
        if (++item.attempts < MAX_ATTEMPTS) retry.push(item);
        else console.warn(`[sandbox] gave up pushing to the configured URL after ${MAX_ATTEMPTS} attempts`);
      }
    }
    this.queue.push(...retry);
    return { pushed, failed, pending: this.queue.length };
  }

  private queueChanges(target: PushTarget): void {
    const upTo = this.now();
    const after = this.scannedUpTo;
    if (upTo <= after) return;
    this.scannedUpTo = upTo;
    const names = PUSH_NAMES[target.names].report;
    const changes: { at: number; fields: Record<string, string> }[] = [];
    for (const message of this.store.messagesChangingBetween(after, upTo, this.timeline)) {
      // Numbers refused at send time (3103) are reported "unsent" from the start and never change.
      if (message.status === "unsent" || message.plannedStatus === "unsent") continue;
      for (const change of deliveryTransitions(message.sendAt, message.plannedStatus, this.timeline)) {
        if (change.at <= after || change.at > upTo) continue;
        const fields: Record<string, string> = { [names.id]: message.id, [names.status]: change.status };
        // v2: `delivered` is the delivery time and is filled only for a delivery (as in reports);
        // legacy: `data` is the time of the status.
        if (target.names === "legacy" || change.status === "delivered") fields[names.at] = formatGatewayTimestamp(new Date(change.at));
        if ("reason" in names && change.status === "undelivered" && message.plannedReason) fields[names.reason] = message.plannedReason;
        changes.push({ at: change.at, fields });
      }
    }
    changes.sort((a, b) => a.at - b.at);
    for (const change of changes) this.queue.push({ fields: change.fields, attempts: 0 });
  }

  private async send(target: PushTarget, fields: Record<string, string>): Promise<boolean> {
    const url = new URL(target.url);
    const init: RequestInit = { method: target.method, redirect: "manual", signal: AbortSignal.timeout(PUSH_TIMEOUT_MS) };
    if (target.method === "GET") {
      for (const [name, value] of Object.entries(fields)) url.searchParams.set(name, value);
    } else if (target.format === "json") {
      init.headers = { "content-type": "application/json" };
      init.body = JSON.stringify(fields);
    } else {
      init.body = new URLSearchParams(fields);
    }
    try {
      const response = await fetch(url, init);
      const text = await response.text();
      return response.status === 200 && text.trim() === "OK";
    } catch {
      return false;
    }
  }
}
