"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import {
  pauseCampaign,
  reconcileCampaign,
  refreshDeliveryStatuses,
  resumeCampaign,
  retryFailedBatches,
} from "@/app/(dashboard)/history/actions";
import { buttonClass } from "@/components/ui/Button";
import type { CampaignSummary } from "@/lib/campaign/types";
import type { ActionResult } from "@/lib/server/result";
import { CancelCampaign } from "./CancelCampaign";
import { type CancelOutcome, UNREACHABLE } from "./cancel-outcome";
import { unreadableReportsNote } from "./labels";
import { campaignQueryKey, refreshRecipientResults } from "./useCampaign";

type Operation = keyof CampaignSummary["actions"];

type Run = (input: { campaignId: string }) => Promise<ActionResult<{ summary: CampaignSummary; unreadable?: number }>>;

/** Every operation but cancel, which has its own flow (CancelCampaign, shared with the history list). */
const OPERATIONS: Record<Exclude<Operation, "cancel">, { label: string; run: Run; done: string }> = {
  pause: { label: "Pause sending", run: pauseCampaign, done: "Paused: no new batch is sent; batches already on their way finish." },
  resume: { label: "Resume sending", run: resumeCampaign, done: "Sending again, refused batches included." },
  retry: { label: "Retry failed batches", run: retryFailedBatches, done: "Retrying the failed batches." },
  reconcile: { label: "Check with gateway", run: reconcileCampaign, done: "Checked the unclear batches with the gateway." },
  refresh: { label: "Refresh delivery statuses", run: refreshDeliveryStatuses, done: "Delivery statuses refreshed." },
};

const ORDER = ["pause", "resume", "retry", "reconcile", "refresh"] as const;

type Message = { tone: "ok" | "error"; text: string };

/** The follow-up operations the server currently allows for this campaign (summary.actions only). */
export function CampaignActions({ summary }: { summary: CampaignSummary }) {
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState<Operation | null>(null);
  const [message, setMessage] = useState<Message | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const messageLine = useRef<HTMLParagraphElement>(null);
  // Set by a finished cancel: its dialog is gone, so keyboard focus moves to the outcome it left.
  const focusOutcome = useRef(false);
  useEffect(() => {
    if (focusOutcome.current && message) {
      focusOutcome.current = false;
      messageLine.current?.focus();
    }
  }, [message]);
  const available = ORDER.filter((operation) => summary.actions[operation]);

  /** What an operation answered becomes what the page shows: its summary, then the table. */
  const show = async (result: ActionResult<{ summary: CampaignSummary }>) => {
    if (result.ok) {
      queryClient.setQueryData(campaignQueryKey(summary.id), result.summary);
      await refreshRecipientResults(queryClient, summary.id);
    } else {
      // A refused operation (a partial cancel, a campaign changed meanwhile) may still have changed something.
      await queryClient.invalidateQueries({ queryKey: campaignQueryKey(summary.id) });
    }
  };

  const perform = async (operation: Exclude<Operation, "cancel">) => {
    if (busy) return;
    setBusy(operation);
    setMessage(null);
    try {
      const result = await OPERATIONS[operation].run({ campaignId: summary.id });
      if (result.ok) {
        const note = result.unreadable ? ` ${unreadableReportsNote(result.unreadable)}` : "";
        setMessage({ tone: "ok", text: OPERATIONS[operation].done + note });
      } else {
        setMessage({ tone: "error", text: result.message });
      }
      await show(result);
    } catch {
      setMessage({ tone: "error", text: UNREACHABLE });
    } finally {
      setBusy(null);
    }
  };

  const cancelled = async (outcome: CancelOutcome) => {
    setCancelling(false);
    focusOutcome.current = true;
    setMessage({ tone: outcome.tone, text: outcome.text });
    if (outcome.result) await show(outcome.result);
  };

  // Kept while a cancel runs: the summary stops offering it as soon as the cancel was asked for.
  const showCancel = summary.actions.cancel || cancelling;
  if (available.length === 0 && !showCancel && !message) return null;
  return (
    <div>
      <div className="flex flex-wrap gap-2">
        {available.map((operation) => (
          <button
            key={operation}
            type="button"
            className={buttonClass("secondary")}
            disabled={busy !== null}
            onClick={() => void perform(operation)}
          >
            {busy === operation ? "Working…" : OPERATIONS[operation].label}
          </button>
        ))}
        {showCancel ? (
          <CancelCampaign
            target={{
              id: summary.id,
              title: summary.title,
              status: summary.status,
              scheduledFor: summary.scheduledFor,
              recipientCount: summary.recipientCount,
              notYetSent: summary.recipients.pending + summary.recipients.failed,
            }}
            disabled={busy !== null}
            onStart={() => setCancelling(true)}
            onOutcome={cancelled}
          />
        ) : null}
      </div>
      <p
        ref={messageLine}
        tabIndex={-1}
        role="status"
        aria-live="polite"
        data-testid="campaign-action-message"
        className={`mt-2 text-sm ${message?.tone === "error" ? "font-medium text-danger" : "text-ok"}`}
      >
        {message?.text}
      </p>
    </div>
  );
}
