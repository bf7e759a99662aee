"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import {
  cancelCampaign,
  pauseCampaign,
  reconcileCampaign,
  refreshDeliveryStatuses,
  resumeCampaign,
  retryFailedBatches,
} from "@/app/(dashboard)/history/actions";
import { buttonClass } from "@/components/ui/Button";
import { ConfirmDialog } from "@/components/ui/ConfirmDialog";
import type { CampaignSummary } from "@/lib/campaign/types";
import type { ActionResult } from "@/lib/server/result";
import { describeSchedule } from "@/lib/schedule/format";
import { plural } from "@/lib/format/units";
import { unreadableReportsNote } from "./labels";
import { campaignQueryKey, refreshRecipientResults } from "./useCampaign";

type Operation = keyof CampaignSummary["actions"];

type Run = (input: { campaignId: string }) => Promise<ActionResult<{ summary: CampaignSummary; unreadable?: number }>>;

const OPERATIONS: Record<Operation, { label: string; run: Run; done: string }> = {
  retry: { label: "Retry failed batches", run: retryFailedBatches, done: "Retrying the failed batches." },
  pause: { label: "Pause sending", run: pauseCampaign, done: "Paused: no new batch is sent; batches already on their way finish." },
  resume: { label: "Resume sending", run: resumeCampaign, done: "Sending again, refused batches included." },
  reconcile: { label: "Check with gateway", run: reconcileCampaign, done: "Checked the unclear batches with the gateway." },
  refresh: { label: "Refresh delivery statuses", run: refreshDeliveryStatuses, done: "Delivery statuses refreshed." },
  cancel: { label: "Cancel scheduled send", run: cancelCampaign, done: "The campaign was cancelled." },
};

const ORDER: Operation[] = ["pause", "resume", "retry", "reconcile", "refresh", "cancel"];

/** A campaign still sending is stopped; a scheduled one is deleted at the gateway. */
const isStop = (summary: CampaignSummary) => summary.status === "sending" || summary.status === "paused";

/** The follow-up operations the server currently allows for this campaign (summary.actions). */
export function CampaignActions({ summary }: { summary: CampaignSummary }) {
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState<Operation | null>(null);
  const [message, setMessage] = useState<{ tone: "ok" | "error"; text: string } | null>(null);
  const [confirmingCancel, setConfirmingCancel] = useState(false);
  const cancelButton = useRef<HTMLButtonElement>(null);
  const messageLine = useRef<HTMLParagraphElement>(null);
  // Set when a cancel has finished: focus moves to its outcome once the dialog is really gone (an
  // effect after that commit; a requestAnimationFrame could run before it, and the dialog's closing
  // would then hand focus back to the Cancel button).
  const focusOutcome = useRef(false);
  useEffect(() => {
    if (!confirmingCancel && focusOutcome.current) {
      focusOutcome.current = false;
      messageLine.current?.focus();
    }
  }, [confirmingCancel, message]);
  const available = ORDER.filter((operation) => summary.actions[operation]);

  const perform = async (operation: Operation) => {
    if (busy) return;
    setBusy(operation);
    setMessage(null);
    try {
      const result = await OPERATIONS[operation].run({ campaignId: summary.id });
      if (result.ok) {
        queryClient.setQueryData(campaignQueryKey(summary.id), result.summary);
        await refreshRecipientResults(queryClient, summary.id);
        const note = result.unreadable ? ` ${unreadableReportsNote(result.unreadable)}` : "";
        setMessage({ tone: "ok", text: OPERATIONS[operation].done + note });
      } else {
        setMessage({ tone: "error", text: result.message });
        // A refused or partial cancel may still have changed some recipients: show what is true now.
        if (operation === "cancel") await queryClient.invalidateQueries({ queryKey: campaignQueryKey(summary.id) });
      }
    } catch {
      setMessage({ tone: "error", text: "Could not reach the server. Check the connection and try again." });
    } finally {
      setBusy(null);
      if (operation === "cancel") {
        // The dialog and (usually) its button are gone; keep keyboard focus on the outcome.
        focusOutcome.current = true;
        setConfirmingCancel(false);
      }
    }
  };

  if (available.length === 0 && !message) return null;
  return (
    <div>
      <div className="flex flex-wrap gap-2">
        {available.map((operation) => (
          <button
            key={operation}
            type="button"
            ref={operation === "cancel" ? cancelButton : undefined}
            className={buttonClass(operation === "cancel" ? "danger" : "secondary")}
            disabled={busy !== null}
            onClick={() => (operation === "cancel" ? setConfirmingCancel(true) : void perform(operation))}
          >
            {busy === operation ? "Working…" : operation === "cancel" && isStop(summary) ? "Cancel the campaign" : OPERATIONS[operation].label}
          </button>
        ))}
      </div>
      <p ref={messageLine} tabIndex={-1} role="status" aria-live="polite" data-testid="campaign-action-message" className={`mt-2 text-sm ${message?.tone === "error" ? "font-medium text-danger" : "text-ok"}`}>
        {message?.text}
      </p>
      {confirmingCancel ? (
        <ConfirmDialog
          open
          title={isStop(summary) ? "Cancel the campaign?" : "Cancel the scheduled send?"}
          confirmLabel="Yes, cancel the send"
          cancelLabel={isStop(summary) ? "Keep it" : "Keep it scheduled"}
          confirmVariant="danger"
          busy={busy === "cancel"}
          onConfirm={() => void perform("cancel")}
          onCancel={() => {
            setConfirmingCancel(false);
            cancelButton.current?.focus();
          }}
        >
          {isStop(summary) ? (
            <p>
              Nothing more is sent: {plural(summary.recipients.pending + summary.recipients.failed, "recipient")} not yet sent will not get this
              MMS. Batches already on their way finish{summary.scheduledFor !== null ? ", and what the gateway holds for later is deleted there" : ""}. This cannot
              be undone.
            </p>
          ) : (
            <p>
              {plural(summary.recipientCount, "recipient")}
              {summary.scheduledFor !== null ? ` were to get this MMS on ${describeSchedule(new Date(summary.scheduledFor))}` : ""}. The
              messages are deleted at the gateway and nobody receives them. This cannot be undone.
            </p>
          )}
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
