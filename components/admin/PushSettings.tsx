"use client";

import { useState, useTransition } from "react";
import { sendTestPush } from "@/app/(dashboard)/admin/push-actions";
import { Button } from "@/components/ui/Button";

/**
 * Admin → Gateway push: the URL to paste into the SerwerSMS panel for delivery reports and replies,
 * and a button that calls it the way the panel would. Its own section, apart from the user table.
 */
export function PushSettings({ url, polling }: { url: string | null; polling: boolean }) {
  const [result, setResult] = useState<{ tone: "ok" | "error"; text: string } | null>(null);
  const [pending, startTransition] = useTransition();

  const test = () =>
    startTransition(async () => {
      setResult(null);
      try {
        const answer = await sendTestPush({});
        setResult(answer.ok ? { tone: "ok", text: `The push URL answered “${answer.answer}” in ${answer.ms} ms.` } : { tone: "error", text: answer.message });
      } catch {
        setResult({ tone: "error", text: "Could not reach the server. Please try again." });
      }
    });

  return (
    <section aria-labelledby="push-heading" className="mt-10 rounded-lg border border-slate-200 bg-white p-4" data-testid="push-settings">
      <h2 id="push-heading" className="text-lg font-semibold">Gateway push (delivery reports and replies)</h2>
      {url ? (
        <>
          <p className="mt-1 text-sm text-slate-700">
            Paste this URL into the SerwerSMS panel where delivery reports (and, for a two-way number, replies) are sent to your URL, so
            the gateway reports here as things happen. It contains the push secret: share it only with the panel.
          </p>
          <label htmlFor="push-url" className="mt-3 block text-sm font-medium">
            Push URL
          </label>
          <input
            id="push-url"
            readOnly
            value={url}
            onFocus={(event) => event.currentTarget.select()}
            className="mt-1 w-full rounded-md border border-slate-300 bg-slate-50 px-3 py-1.5 font-mono text-sm"
          />
          <div className="mt-3 flex flex-wrap items-center gap-3">
            <Button variant="secondary" onClick={test} disabled={pending}>
              {pending ? "Sending…" : "Send a test push"}
            </Button>
            <p role="status" aria-live="polite" data-testid="push-test-result" className={`text-sm ${result?.tone === "error" ? "font-medium text-danger" : "text-ok"}`}>
              {result?.text}
            </p>
          </div>
        </>
      ) : (
        <p className="mt-1 text-sm text-slate-700">
          Push is off. Set <code>SERWERSMS_PUSH_SECRET</code> (at least 16 characters) and restart to get a URL for the SerwerSMS panel;
          until then delivery statuses come from polling <code>messages/reports</code>.
        </p>
      )}
      <p className="mt-3 text-sm text-slate-600">
        {polling
          ? "Open campaign pages also ask the gateway for pending statuses every 10 s (polling, the fallback)."
          : "Polling is off (DELIVERY_POLLING=0): statuses arrive only by push or the manual refresh on a campaign page."}
      </p>
    </section>
  );
}
