import { formatWarsawTime, plural } from "@/lib/format/units";
import type { DeliveryReport } from "@/lib/serwersms/types";
import { parseGatewayTimestamp } from "@/lib/time/warsaw";
import { phoneKey } from "./answer-match";

/**
 * The rules of "Check with gateway": how an unknown batch's numbers are matched to messages/reports,
 * and when a number the gateway does not report may be called not sent. Pure, and plain enough for
 * the browser (the campaign page words its notice with notReportedYet); service.ts `reconcile` does
 * the calls and the writes.
 */

/**
 * How long after a batch's request the gateway may still leave its numbers out of messages/reports.
 * Reports are built after acceptance and can trail it (the sandbox's `reportLagMs` fault reproduces
 * that), so "not found" soon after a send proves nothing: a number that was accepted would be marked
 * failed, offered for retry and sent twice. Only a look-up after this period turns "not found" into
 * failed (retryable). Setting: RECONCILE_GRACE_MINUTES (lib/config/env.ts).
 */
export const DEFAULT_RECONCILE_GRACE_MS = 15 * 60_000;

/**
 * Slack around a batch's request when asking for reports by phone (their date_from/date_to filter the
 * gateway's queue time): the gateway's clock may differ from ours, and it may still finish (and
 * queue) a request after our client gave up on it.
 */
const WINDOW_BEFORE_MS = 2 * 60_000;
const WINDOW_AFTER_MS = 10 * 60_000;

type BatchTimes = { startedAt: number | null; finishedAt: number | null };
export type Window = { from: number; to: number };

/** When the batch's request went out (a batch always has startedAt once sent; the campaign's creation otherwise). */
export function batchRequestedAt(batch: BatchTimes, campaignCreatedAt: number): number {
  return batch.startedAt ?? campaignCreatedAt;
}

/** From this instant on, a number the gateway does not report counts as not sent. */
export function graceEndsAt(batch: BatchTimes, campaignCreatedAt: number, graceMs: number): number {
  return batchRequestedAt(batch, campaignCreatedAt) + graceMs;
}

/** The queue times a message of this batch can have at the gateway. */
export function lookupWindow(batch: BatchTimes, campaignCreatedAt: number, now: number): Window {
  return { from: batchRequestedAt(batch, campaignCreatedAt) - WINDOW_BEFORE_MS, to: (batch.finishedAt ?? now) + WINDOW_AFTER_MS };
}

/**
 * The campaigns that can hold a message queued in `window`: created before its end and written after
 * its start (a run ends with a campaign update, a crash with the restart's), with the same clock slack.
 */
export function holderCampaigns(window: Window): { createdAtMost: number; updatedAtLeast: number } {
  return { createdAtMost: window.to + WINDOW_BEFORE_MS, updatedAtLeast: window.from - WINDOW_BEFORE_MS };
}


/** Reports grouped by number, for looking up one batch's numbers. */
export function reportsByPhone(reports: readonly DeliveryReport[]): Map<string, DeliveryReport[]> {
  const byPhone = new Map<string, DeliveryReport[]>();
  for (const report of reports) {
    const key = phoneKey(report.phone);
    const list = byPhone.get(key);
    if (list) list.push(report);
    else byPhone.set(key, [report]);
  }
  return byPhone;
}

export type WantedMessage = { title: string; fileIds: readonly string[]; requestedAt: number };

/**
 * Picks a number's report from those the gateway listed for it (phone + window), when the batch's
 * answer gave no id to look up: the campaign's title, the campaign's files among its attachments
 * (when the report lists any), an id no recipient holds and no other number took (`taken`, which the
 * pick joins), and of those the one queued closest to the batch's request. Undefined: not reported.
 */
export function createReportPicker(wanted: WantedMessage): (reports: readonly DeliveryReport[] | undefined, taken: Set<string>) => DeliveryReport | undefined {
  // Parsing a Warsaw timestamp goes through Intl; a report of thousands of rows repeats a few seconds.
  const instants = new Map<string, number>();
  const distance = (report: DeliveryReport) => {
    if (report.queuedAt === null) return Number.POSITIVE_INFINITY;
    let at = instants.get(report.queuedAt);
    if (at === undefined) {
      at = parseGatewayTimestamp(report.queuedAt)?.getTime() ?? Number.NaN;
      instants.set(report.queuedAt, at);
    }
    return Number.isNaN(at) ? Number.POSITIVE_INFINITY : Math.abs(at - wanted.requestedAt);
  };
  const fits = (report: DeliveryReport) =>
    (report.title === null || report.title === wanted.title) &&
    (!report.fileIds?.length || wanted.fileIds.every((id) => report.fileIds!.includes(id)));

  return (reports, taken) => {
    let best: DeliveryReport | undefined;
    let bestDistance = Number.POSITIVE_INFINITY;
    for (const report of reports ?? []) {
      if (taken.has(report.messageId) || !fits(report)) continue;
      const d = distance(report);
      if (best === undefined || d < bestDistance) {
        best = report;
        bestDistance = d;
      }
    }
    if (best) taken.add(best.messageId);
    return best;
  };
}

/** The campaign page's words for numbers a look-up did not find within the grace period. */
export function notReportedYet(numbers: number, checkAfter: number): string {
  return `The gateway has not reported ${plural(numbers, "number")} yet; check again after ${formatWarsawTime(checkAfter)} (Warsaw)`;
}
