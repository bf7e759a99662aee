"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { CancelCampaign } from "@/components/campaign/CancelCampaign";
import type { CancelOutcome } from "@/components/campaign/cancel-outcome";
import type { CampaignListItem } from "@/lib/campaign/types";
import { formatCount } from "@/lib/format/units";
import { describeSchedule } from "@/lib/schedule/format";

type Item = Pick<CampaignListItem, "id" | "title" | "status" | "scheduledFor" | "recipientCount">;

/**
 * One scheduled send with the app's cancel flow. A refusal stays next to the item (it stays listed);
 * a cancel that went through removes the item, so the list announces it (onCancelled).
 */
function ScheduledItem({ item, canCancel, onCancelled }: { item: Item; canCancel: boolean; onCancelled: (text: string) => void }) {
  const router = useRouter();
  const [failure, setFailure] = useState<string | null>(null);
  const failureLine = useRef<HTMLSpanElement>(null);
  const focusFailure = useRef(false);
  useEffect(() => {
    if (focusFailure.current && failure) {
      focusFailure.current = false;
      failureLine.current?.focus();
    }
  }, [failure]);

  const outcome = (result: CancelOutcome) => {
    if (result.tone === "ok") {
      setFailure(null);
      onCancelled(`“${item.title}”: ${result.text}`);
    } else {
      focusFailure.current = true;
      setFailure(result.text);
    }
    // A refused or partial cancel may still have changed some recipients: the list shows what is true now.
    router.refresh();
  };

  return (
    <li className="flex flex-wrap items-center gap-3 px-4 py-3" data-testid="scheduled-item">
      <Link href={`/history/${item.id}`} className="font-medium text-brand underline">
        {item.title}
      </Link>
      <span className="text-sm text-slate-600">
        {item.scheduledFor !== null ? describeSchedule(new Date(item.scheduledFor)) : null} · {formatCount(item.recipientCount)} recipients
      </span>
      {canCancel ? (
        <span className="ml-auto flex flex-wrap items-center gap-2">
          <span ref={failureLine} tabIndex={-1} role="status" aria-live="polite" data-testid="cancel-message" className="text-sm font-medium text-danger">
            {failure}
          </span>
          <CancelCampaign
            target={{ ...item, notYetSent: item.recipientCount }}
            label="Cancel"
            ariaLabel={`Cancel scheduled campaign ${item.title}`}
            size="sm"
            variant="secondary"
            onOutcome={outcome}
          />
        </span>
      ) : null}
    </li>
  );
}

/** The history page's list of sends the gateway holds for later, each cancellable by a sender. */
export function ScheduledSends({ items, canCancel }: { items: Item[]; canCancel: boolean }) {
  const [announcement, setAnnouncement] = useState<string | null>(null);
  const announcementLine = useRef<HTMLParagraphElement>(null);
  const focusAnnouncement = useRef(false);
  useEffect(() => {
    // The cancelled item (and the button that had focus) is gone: keep keyboard focus on its outcome.
    if (focusAnnouncement.current && announcement) {
      focusAnnouncement.current = false;
      announcementLine.current?.focus();
    }
  }, [announcement]);

  return (
    <section aria-labelledby="scheduled-heading" className="mt-6">
      <h2 id="scheduled-heading" className="text-lg font-semibold">
        Scheduled sends
      </h2>
      <p ref={announcementLine} tabIndex={-1} role="status" aria-live="polite" data-testid="scheduled-cancel-message" className="text-sm text-ok">
        {announcement}
      </p>
      {items.length === 0 ? (
        <p className="mt-1 text-sm text-slate-600">Nothing is scheduled.</p>
      ) : (
        <ul className="mt-2 divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white">
          {items.map((item) => (
            <ScheduledItem
              key={item.id}
              item={item}
              canCancel={canCancel}
              onCancelled={(text) => {
                focusAnnouncement.current = true;
                setAnnouncement(text);
              }}
            />
          ))}
        </ul>
      )}
    </section>
  );
}
