"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { endOtherSessionsAction } from "@/app/(dashboard)/account/actions";
import { Button } from "@/components/ui/Button";
import { plural } from "@/lib/format/units";

/** "End my other sessions": signs this user out of every other browser, keeping this one. */
export function EndOtherSessions({ others }: { others: number }) {
  const router = useRouter();
  const [status, setStatus] = useState<{ tone: "ok" | "error"; text: string } | null>(null);
  const [pending, startTransition] = useTransition();

  function run() {
    startTransition(async () => {
      try {
        const result = await endOtherSessionsAction({});
        if (result.ok) {
          setStatus({ tone: "ok", text: result.ended > 0 ? `Signed out of ${plural(result.ended, "other session")}.` : "There were no other sessions." });
          router.refresh();
        } else {
          setStatus({ tone: "error", text: result.message });
        }
      } catch {
        setStatus({ tone: "error", text: "Could not reach the server. Please try again." });
      }
    });
  }

  return (
    <div className="space-y-2">
      <Button variant="secondary" onClick={run} disabled={pending}>
        {pending ? "Ending…" : "End my other sessions"}
      </Button>
      <p className="text-xs text-slate-500">{others > 0 ? `${plural(others, "other session")} will end; this one stays.` : "No other sessions right now."}</p>
      <p role="status" aria-live="polite" className={`min-h-6 text-sm ${status?.tone === "error" ? "text-danger" : "text-ok"}`}>
        {status?.text}
      </p>
    </div>
  );
}
