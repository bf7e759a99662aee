"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { cancelCampaign } from "@/app/(dashboard)/history/actions";
import { Button } from "@/components/ui/Button";
import { ConfirmDialog } from "@/components/ui/ConfirmDialog";

export function CancelScheduledButton({ campaignId, title, when, recipients }: { campaignId: string; title: string; when: string; recipients: number }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <>
      <Button variant="secondary" size="sm" onClick={() => setOpen(true)} aria-label={`Cancel scheduled campaign ${title}`}>
        Cancel
      </Button>
      <span role="status" aria-live="polite" data-testid="cancel-message" className="ml-2 text-sm text-danger">{message}</span>
      <ConfirmDialog
        open={open}
        title="Cancel this scheduled campaign?"
        confirmLabel="Cancel the send"
        cancelLabel="Keep it scheduled"
        confirmVariant="danger"
        busy={pending}
        onCancel={() => setOpen(false)}
        onConfirm={() =>
          startTransition(async () => {
            try {
              const result = await cancelCampaign({ campaignId });
              setOpen(false);
              if (result.ok) router.refresh();
              else {
                setMessage(result.message);
                // A partial cancel changed some recipients; the item stays listed while anything is still scheduled.
                router.refresh();
              }
            } catch {
              setOpen(false);
              setMessage("Could not reach the server. Please try again.");
            }
          })
        }
      >
        “{title}” to {recipients} recipient(s) at {when} will be deleted at the gateway and not sent.
      </ConfirmDialog>
    </>
  );
}
