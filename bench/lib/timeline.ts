/**
 * Where a campaign's time goes, batch by batch: the claim the app stored (campaign_batches.started_at),
 * the request arriving at the gateway and its answer (the bench sandbox's own clock, same machine),
 * the outcome recorded (finished_at, taken just before the recording transaction), and how long a
 * freed slot waited for the next claim. Pure: the rows come from run.ts.
 */
import { median } from "./report";

export type BatchRow = { seq: number; startedAt: number | null; finishedAt: number | null; attempts: number; status: string };
export type SendCall = { arrivedAt: number; answeredAt: number; phones: number; firstPhone: string | null };
export type ProbeSample = { at: number; eldMaxMs: number; eldMeanMs: number; gcMs: number; gcCount: number; cpuMs: number };

export type Spread = { median: number; p90: number; max: number; mean: number };

function spread(values: number[]): Spread {
  if (values.length === 0) return { median: NaN, p90: NaN, max: NaN, mean: NaN };
  const sorted = [...values].sort((a, b) => a - b);
  return {
    median: median(sorted),
    p90: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.9))]!,
    max: sorted[sorted.length - 1]!,
    mean: sorted.reduce((sum, v) => sum + v, 0) / sorted.length,
  };
}

export type Timeline = {
  batches: number;
  /** Batches matched to a gateway request (by their first number). */
  matched: number;
  /** First claim → last outcome recorded. */
  sendingMs: number;
  /** Claim stored → request at the gateway (reading the batch, building and sending the request). */
  claimToRequest: Spread;
  /** Request at the gateway → its answer (injected latency + the gateway's own work). */
  gateway: Spread;
  /** Answer sent → the outcome about to be recorded (response transfer, parsing, matching). */
  answerToRecorded: Spread;
  /** A slot freed (outcome recorded) → the next claim taking it (recording transaction + worker pass). */
  slotGap: Spread;
  /** Most batches between claim and recorded at one moment, from the app's own rows. */
  maxInFlightByRows: number;
  /** The lanes' time over the sending span, by phase, summed over batches and divided by the cap. */
  laneShare: { claimToRequest: number; gateway: number; answerToRecorded: number; slotGap: number };
};

const digits = (phone: string) => phone.replace(/\D/g, "");

export function batchTimeline(rows: BatchRow[], firstPhones: Map<number, string>, calls: SendCall[], cap: number): Timeline {
  const bySeqPhone = new Map<string, number>();
  for (const [seq, phone] of firstPhones) bySeqPhone.set(digits(phone), seq);
  // A batch sent more than once (never in a clean run) keeps its last request: the one its row describes.
  const callOf = new Map<number, SendCall>();
  for (const call of calls) {
    const seq = call.firstPhone ? bySeqPhone.get(digits(call.firstPhone)) : undefined;
    if (seq !== undefined) callOf.set(seq, call);
  }
  const timed = rows.filter((r): r is BatchRow & { startedAt: number; finishedAt: number } => r.startedAt !== null && r.finishedAt !== null);
  const claimToRequest: number[] = [];
  const gateway: number[] = [];
  const answerToRecorded: number[] = [];
  for (const row of timed) {
    const call = callOf.get(row.seq);
    if (!call) continue;
    claimToRequest.push(call.arrivedAt - row.startedAt);
    gateway.push(call.answeredAt - call.arrivedAt);
    answerToRecorded.push(row.finishedAt - call.answeredAt);
  }
  // Slots: with the cap full, the (i + cap)-th claim took the slot the i-th recorded outcome freed.
  const claims = timed.map((r) => r.startedAt).sort((a, b) => a - b);
  const finishes = timed.map((r) => r.finishedAt).sort((a, b) => a - b);
  const slotGap: number[] = [];
  for (let i = 0; i + cap < claims.length; i++) slotGap.push(claims[i + cap]! - finishes[i]!);
  const events = timed.flatMap((r) => [
    { at: r.startedAt, d: 1 },
    { at: r.finishedAt, d: -1 },
  ]);
  // An outcome recorded at the same millisecond as a claim frees its slot first (the claim needed it).
  events.sort((a, b) => a.at - b.at || a.d - b.d);
  let now = 0;
  let maxInFlightByRows = 0;
  for (const event of events) {
    now += event.d;
    maxInFlightByRows = Math.max(maxInFlightByRows, now);
  }
  const sendingMs = timed.length ? Math.max(...finishes) - Math.min(...claims) : NaN;
  const share = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / cap;
  return {
    batches: rows.length,
    matched: gateway.length,
    sendingMs,
    claimToRequest: spread(claimToRequest),
    gateway: spread(gateway),
    answerToRecorded: spread(answerToRecorded),
    slotGap: spread(slotGap),
    maxInFlightByRows,
    laneShare: { claimToRequest: share(claimToRequest), gateway: share(gateway), answerToRecorded: share(answerToRecorded), slotGap: share(slotGap) },
  };
}

export type ProbeSummary = {
  windows: number;
  /** Windows (100 ms) in which a 5 ms timer ran at least 20 ms late: the event loop was blocked. */
  blockedWindows: number;
  worstBlockMs: number;
  gcMs: number;
  gcCount: number;
  /** Server CPU time / wall time over the span (1 = one core busy all the time). */
  cpuShare: number;
  /** Server CPU time over the span (user + system), summed over the probed processes. */
  cpuMs: number;
};

export function summarizeProbe(samples: ProbeSample[], from: number, to: number): ProbeSummary {
  const inSpan = samples.filter((s) => s.at >= from && s.at <= to + 100);
  const cpuMs = inSpan.reduce((sum, s) => sum + s.cpuMs, 0);
  return {
    cpuMs,
    windows: inSpan.length,
    blockedWindows: inSpan.filter((s) => s.eldMaxMs >= 20).length,
    worstBlockMs: inSpan.reduce((max, s) => Math.max(max, s.eldMaxMs), 0),
    gcMs: inSpan.reduce((sum, s) => sum + s.gcMs, 0),
    gcCount: inSpan.reduce((sum, s) => sum + s.gcCount, 0),
    cpuShare: cpuMs / Math.max(1, to - from),
  };
}

const ms = (v: number) => `${v.toFixed(1)} ms`;
const sp = (s: Spread) => `median ${ms(s.median)}, p90 ${ms(s.p90)}, max ${ms(s.max)}`;

/** One paragraph for the notes and the progress log. */
export function describeTimeline(t: Timeline, cap: number, latencyMs: number): string {
  return (
    `per batch (${t.matched} of ${t.batches} matched to their request): claim → request at the gateway ${sp(t.claimToRequest)}; ` +
    `gateway ${sp(t.gateway)} (${latencyMs} ms of it injected); answer → outcome recorded ${sp(t.answerToRecorded)}; ` +
    `slot freed → next claim ${sp(t.slotGap)}. Sending span ${(t.sendingMs / 1000).toFixed(2)} s over ${cap} slots = ` +
    `${(t.laneShare.gateway / 1000).toFixed(2)} s gateway + ${(t.laneShare.claimToRequest / 1000).toFixed(2)} s before requests + ` +
    `${(t.laneShare.answerToRecorded / 1000).toFixed(2)} s after answers + ${(t.laneShare.slotGap / 1000).toFixed(2)} s between outcome and next claim; ` +
    `most batches claimed at once (app rows): ${t.maxInFlightByRows}`
  );
}

export function describeProbe(p: ProbeSummary, batches: number): string {
  return `server event loop over the send: ${p.blockedWindows} of ${p.windows} 100 ms windows blocked ≥ 20 ms (worst ${ms(p.worstBlockMs)}); GC ${ms(p.gcMs)} in ${p.gcCount} pauses; server CPU ${(p.cpuMs / 1000).toFixed(2)} s = ${ms(p.cpuMs / batches)} per batch, ${(p.cpuShare * 100).toFixed(0)} % of one core`;
}
