"use client";

import { useEffect, useRef, useState } from "react";
import { cancelCampaign } from "@/app/(dashboard)/history/actions";
import { buttonClass } from "@/components/ui/Button";
import { ConfirmDialog } from "@/components/ui/ConfirmDialog";
import { plural } from "@/lib/format/units";
import { describeSchedule } from "@/lib/schedule/format";
import { type CancelOutcome, type CancelResult, type CancelTarget, describeCancelOutcome, isStop } from "./cancel-outcome";

/**
 * The app's one cancel flow (campaign page and history list): the button, the confirmation that says
 * what a cancel does to this campaign, the cancelCampaign action and its outcome in words. The host
 * shows the outcome in its live region and refreshes its view in `onOutcome`, which runs once the
 * dialog is gone (so the host may move focus to the outcome without the dialog taking it back).
 */
export function CancelCampaign({
  target,
  label,
  ariaLabel,
  size = "md",
  variant = "danger",
  disabled = false,
  onStart,
  onOutcome,
}: {
  target: CancelTarget;
  label?: string;
  ariaLabel?: string;
  size?: "sm" | "md";
  variant?: "danger" | "secondary";
  disabled?: boolean;
  /**
   * Called when the cancel is sent. The host must keep this component mounted until onOutcome: while
   * the cancel waits for batches in flight, the campaign's own actions no longer offer a cancel.
   */
  onStart?: () => void;
  onOutcome: (outcome: CancelOutcome) => void | Promise<void>;
}) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<CancelOutcome | null>(null);
  const button = useRef<HTMLButtonElement>(null);
  const stop = isStop(target);

  // After the commit that removed the dialog: hand the outcome over exactly once.
  useEffect(() => {
    if (open || !outcome) return;
    setOutcome(null);
    void onOutcome(outcome);
  }, [open, outcome, onOutcome]);

  const confirm = async () => {
    if (busy) return;
    setBusy(true);
    onStart?.();
    let result: CancelResult | null = null;
    try {
      result = await cancelCampaign({ campaignId: target.id });
    } catch {
      result = null;
    }
    setBusy(false);
    setOutcome(describeCancelOutcome(target, result));
    setOpen(false);
  };

  return (
    <>
      <button ref={button} type="button" className={buttonClass(variant, size)} disabled={disabled || busy} aria-label={ariaLabel} onClick={() => setOpen(true)}>
        {busy ? "Working…" : (label ?? (stop ? "Cancel the campaign" : "Cancel scheduled send"))}
      </button>
      {open ? (
        <ConfirmDialog
          open
          title={stop ? "Cancel the campaign?" : "Cancel the scheduled send?"}
          confirmLabel="Yes, cancel the send"
          cancelLabel={stop ? "Keep it" : "Keep it scheduled"}
          confirmVariant="danger"
          busy={busy}
          onConfirm={() => void confirm()}
          onCancel={() => {
            setOpen(false);
            button.current?.focus();
          }}
        >
          {stop ? (
            <p>
              “{target.title}”: nothing more is sent. {plural(target.notYetSent, "recipient")} not yet sent will not get this MMS. Batches
              already on their way finish and are recorded
              {target.scheduledFor !== null ? ", and what the gateway holds for later is deleted there" : ""}. This cannot be undone.
            </p>
          ) : (
            <p>
              “{target.title}”: {plural(target.recipientCount, "recipient")}
              {target.scheduledFor !== null
                ? ` ${target.recipientCount === 1 ? "was" : "were"} to get this MMS on ${describeSchedule(new Date(target.scheduledFor))}`
                : ""}. The
              messages are deleted at the gateway and nobody receives them. This cannot be undone.
            </p>
          )}
        </ConfirmDialog>
      ) : null}
    </>
  );
}
