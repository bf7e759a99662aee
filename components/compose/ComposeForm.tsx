"use client";

import { useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { lazy, Suspense, useEffect, useMemo, useRef, useState } from "react";
import { startCampaign } from "@/app/(dashboard)/compose/actions";
import { useMediaLibrary } from "@/components/media/useMediaLibrary";
import { Button, buttonClass } from "@/components/ui/Button";
import { ConfirmDialog } from "@/components/ui/ConfirmDialog";
import type { StartCampaignRequest } from "@/lib/campaign/start";
import { measureTitle } from "@/lib/compose/title";
import { plural } from "@/lib/format/units";
import type { MediaItem } from "@/lib/media/library-types";
import { describeSchedule, scheduleToInstant } from "@/lib/schedule/format";
import type { FieldErrors } from "@/lib/server/result";
import { AdvancedOptions } from "./AdvancedOptions";
import type { DraftEdit, IntentKind } from "./draft";
import { FilePicker } from "./FilePicker";
import { MessageTextField } from "./MessageTextField";
import { PhonePreview } from "./PhonePreview";
import { RecipientsInput } from "./RecipientsInput";
import { requestFailedMessage, requestTooLarge } from "./send-failure";
import { SchedulePicker } from "./SchedulePicker";
import { LIMITS_QUERY_KEY, SendLimits } from "./SendLimits";
import { TitleField } from "./TitleField";
import { useComposeDraft } from "./useComposeDraft";
import { useNow } from "./useNow";
import { useRecipientWorker } from "./useRecipientWorker";
import { loadValidation, useValidation } from "./useValidation";

const loadResults = () => import("@/components/campaign/CampaignResults");
// Results are needed only after a preview or a send: fetched when the page is idle, not on first load.
const CampaignResults = lazy(() => loadResults().then((module) => ({ default: module.CampaignResults })));

const resultsFallback = (
  <p role="status" className="rounded-lg border border-slate-200 bg-white p-4 text-sm text-slate-600">
    Loading the campaign…
  </p>
);

type Field = "title" | "fileIds" | "text" | "recipients" | "schedule" | "options";
const FIELDS: Field[] = ["title", "fileIds", "text", "recipients", "schedule", "options"];

/** Where keyboard focus goes when a field is refused. */
const FOCUS_TARGET: Record<Field, string> = {
  title: "#compose-title",
  fileIds: '[aria-label="Library files"] button, #compose-files-status',
  text: "#compose-text",
  recipients: "#compose-recipients, #compose-recipients-file",
  schedule: "#compose-schedule-time, input[name='compose-schedule-mode']:checked",
  options: "#compose-option-batchSize",
};

type Confirmation = { recipients: string[]; rejected: number; when: string | null };
type Notice = { tone: "error" | "info"; text: string };

const unique = (messages: string[]) => [...new Set(messages)];

/**
 * The composer: title, files, text, recipients, schedule, a phone-shaped preview, and the two ways
 * out — a test preview (nothing sent) and a confirmed send. The browser validates with the server's
 * own schemas; each send intent carries one idempotency key, kept in the draft until it produced a
 * campaign, so double clicks, reloads and retries after a network error never send twice.
 */
export function ComposeForm({ initialLibrary }: { initialLibrary?: MediaItem[] }) {
  const queryClient = useQueryClient();
  const { draft, generation, restored, storageFailed, edit, intentKey, forgetIntent, completeIntent, dismissPreview, reset } = useComposeDraft();
  const validation = useValidation();
  const library = useMediaLibrary(initialLibrary);
  const { analysis, analyzeText, analyzeFile, clear: clearRecipients, settled } = useRecipientWorker();
  const [now, refreshNow] = useNow();

  const [touched, setTouched] = useState<Partial<Record<Field, boolean>>>({});
  const [submitted, setSubmitted] = useState(false);
  const [serverErrors, setServerErrors] = useState<FieldErrors>({});
  const [notice, setNotice] = useState<Notice | null>(null);
  const [busy, setBusy] = useState<IntentKind | "checking" | null>(null);
  const busyNow = useRef(false);
  const [confirmation, setConfirmation] = useState<Confirmation | null>(null);
  const noticeLine = useRef<HTMLParagraphElement>(null);
  const previewPanel = useRef<HTMLDivElement>(null);
  const resultsPanel = useRef<HTMLDivElement>(null);
  const sendButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    const idle = window.requestIdleCallback ?? ((run: () => void) => window.setTimeout(run, 1500));
    idle(() => void loadResults().catch(() => undefined));
  }, []);

  // A restored draft: check its recipients again and show problems of the fields that came back filled.
  const restoreHandled = useRef(false);
  useEffect(() => {
    if (!restored || restoreHandled.current) return;
    restoreHandled.current = true;
    if (draft.recipientsText.trim() && draft.recipientsFile === null) analyzeText(draft.recipientsText, { immediate: true });
    setTouched({
      title: draft.title !== "",
      text: draft.text !== "",
      fileIds: draft.fileIds.length > 0,
      recipients: draft.recipientsText.trim() !== "",
      schedule: draft.schedule.mode === "scheduled",
    });
  }, [restored, draft, analyzeText]);

  const ready = analysis.status === "ready" ? analysis : analysis.status === "checking" ? analysis.previous : null;
  const validCount = ready?.plan.counts.valid ?? 0;

  const clientErrors: Partial<Record<Field, string[]>> = useMemo(() => {
    if (!validation) return {};
    return {
      title: validation.titleErrors(draft.title),
      fileIds: validation.fileErrors(draft.fileIds),
      text: validation.textErrors(draft.text),
      recipients: analysis.status === "checking" || analysis.status === "error" ? [] : validation.recipientCountErrors(validCount),
      schedule: now ? validation.scheduleErrors(draft.schedule, now) : [],
      options: validation.optionErrors(draft.options),
    };
  }, [validation, draft.title, draft.fileIds, draft.text, draft.schedule, draft.options, analysis.status, validCount, now]);

  const titleOver = measureTitle(draft.title).over;
  const errorsFor = (field: Field): string[] => {
    const shown = touched[field] || submitted || (field === "title" && titleOver);
    return unique([...(shown ? (clientErrors[field] ?? []) : []), ...(serverErrors[field] ?? [])]);
  };

  const change = (field: Field, update: DraftEdit) => {
    edit(update);
    setTouched((before) => (before[field] ? before : { ...before, [field]: true }));
    setServerErrors((before) => {
      if (!before[field]) return before;
      const { [field]: _dropped, ...rest } = before;
      return rest;
    });
    setNotice(null);
  };
  const touch = (field: Field) => setTouched((before) => (before[field] ? before : { ...before, [field]: true }));

  const showNotice = (next: Notice) => {
    setNotice(next);
    requestAnimationFrame(() => noticeLine.current?.focus());
  };

  const focusField = (errors: FieldErrors) => {
    const first = FIELDS.find((field) => errors[field]?.length);
    if (!first) return;
    requestAnimationFrame(() => document.querySelector<HTMLElement>(FOCUS_TARGET[first])?.focus());
  };

  /** Validates like the server; opens the confirmation for a send, starts a test preview directly. */
  const submit = async (kind: IntentKind) => {
    if (busyNow.current) return;
    busyNow.current = true;
    setBusy("checking");
    setSubmitted(true);
    setNotice(null);
    let launchRecipients: string[] | null = null;
    try {
      const [checks, recipients] = await Promise.all([loadValidation(), settled()]);
      if (recipients.status === "error") {
        showNotice({ tone: "error", text: `Fix the recipients first: ${recipients.message}` });
        focusField({ recipients: [recipients.message] });
        return;
      }
      const numbers = recipients.status === "ready" ? recipients.plan.valid.map((entry) => entry.e164) : [];
      const errors = checks.validateCompose(
        { title: draft.title, fileIds: draft.fileIds, text: draft.text, recipients: numbers, schedule: draft.schedule, options: draft.options },
        refreshNow(),
      );
      const problems = Object.values(errors).flat().length;
      if (problems > 0) {
        setNotice({ tone: "error", text: `Nothing was sent: check the ${problems === 1 ? "highlighted field" : "highlighted fields"}.` });
        focusField(errors);
        return;
      }
      if (kind === "send") {
        const instant = draft.schedule.mode === "scheduled" ? scheduleToInstant(draft.schedule.date, draft.schedule.time) : null;
        setConfirmation({
          recipients: numbers,
          rejected: recipients.status === "ready" ? recipients.plan.rejected.length : 0,
          when: instant?.ok ? describeSchedule(instant.instant) : null,
        });
        return;
      }
      launchRecipients = numbers;
    } catch {
      showNotice({ tone: "error", text: "The form checks could not be loaded. Check the connection and try again." });
      return;
    } finally {
      busyNow.current = false;
      setBusy(null);
    }
    if (launchRecipients) await launch("test", launchRecipients);
  };

  const launch = async (kind: IntentKind, recipients: string[]) => {
    if (busyNow.current) return;
    busyNow.current = true;
    setBusy(kind);
    const button = kind === "test" ? "Preview (test mode)" : draft.schedule.mode === "scheduled" ? "Schedule" : "Send";
    // Stored in the draft before the request leaves: a reload or retry re-uses it.
    const idempotencyKey = intentKey(kind);
    try {
      const { scheduleRequest, resolvedOptions, encodeStartCampaignForm } = await loadValidation();
      const request: StartCampaignRequest = {
        title: draft.title,
        fileIds: draft.fileIds,
        text: draft.text.trim() === "" ? undefined : draft.text,
        recipients,
        schedule: scheduleRequest(draft.schedule),
        test: kind === "test",
        idempotencyKey,
        options: resolvedOptions(draft.options),
      };
      // The numbers travel as one text part of a FormData (lib/compose/request-form.ts explains why).
      const form = encodeStartCampaignForm(request);
      const tooLarge = requestTooLarge(form);
      if (tooLarge) {
        setConfirmation(null);
        setServerErrors({ recipients: [tooLarge] });
        showNotice({ tone: "error", text: tooLarge });
        return;
      }
      const result = await startCampaign(form);
      setConfirmation(null);
      if (!result.ok) {
        // A key the server refused (another user's, or used for another request) can never send this form.
        if (result.code === "conflict") forgetIntent(kind);
        setServerErrors(result.fieldErrors);
        showNotice({
          tone: "error",
          text:
            result.code === "unauthorized"
              ? `${result.message} Your draft is kept in this tab.`
              : result.code === "conflict"
                ? `Nothing was sent: ${result.message} Press ${button} again to send this form as a new request.`
                : `Nothing was sent: ${result.message}`,
        });
        focusField(result.fieldErrors);
        return;
      }
      completeIntent(kind, result.campaignId);
      void queryClient.invalidateQueries({ queryKey: LIMITS_QUERY_KEY });
      if (!result.created) setNotice({ tone: "info", text: "This request had already started a campaign; here it is. Nothing was sent twice." });
      requestAnimationFrame(() => (kind === "test" ? previewPanel : resultsPanel).current?.focus());
    } catch {
      // A dropped connection, or a body the server refused before our code ran: it cannot tell which.
      setConfirmation(null);
      showNotice({ tone: "error", text: requestFailedMessage(kind, button) });
    } finally {
      busyNow.current = false;
      setBusy(null);
    }
  };

  const newCampaign = () => {
    reset();
    clearRecipients();
    setTouched({});
    setSubmitted(false);
    setServerErrors({});
    setNotice(null);
  };

  if (draft.sentCampaignId) {
    const id = draft.sentCampaignId;
    return (
      <div ref={resultsPanel} tabIndex={-1} className="space-y-3 outline-none">
        {notice ? (
          <p role="status" className="text-sm text-slate-700">
            {notice.text}
          </p>
        ) : null}
        <Suspense fallback={resultsFallback}>
          <CampaignResults
            campaignId={id}
            footer={
              <>
                <Link href={`/history/${encodeURIComponent(id)}`} className={buttonClass("secondary")}>
                  Open in history
                </Link>
                <Button onClick={newCampaign}>New campaign</Button>
              </>
            }
          />
        </Suspense>
      </div>
    );
  }

  const byId = new Map((library.data ?? []).map((item) => [item.id, item]));
  const chosen = draft.fileIds.map((id) => byId.get(id)).filter((item): item is MediaItem => item !== undefined);
  const scheduled = draft.schedule.mode === "scheduled";
  const locked = !restored || busy !== null;

  return (
    <>
      <div className="grid gap-8 lg:grid-cols-[minmax(0,1fr)_17rem]">
        <form aria-label="New MMS campaign" noValidate onSubmit={(event) => event.preventDefault()}>
          <fieldset disabled={locked} className="min-w-0 space-y-6">
            {storageFailed ? (
              <p role="status" className="rounded-md bg-warn-light p-2 text-sm text-warn">
                This browser does not let the page keep a draft, so a reload would lose the form. Sending works as usual.
              </p>
            ) : null}
            <TitleField value={draft.title} errors={errorsFor("title")} onChange={(title) => change("title", { title })} onBlur={() => touch("title")} />
            <FilePicker fileIds={draft.fileIds} onChange={(fileIds) => change("fileIds", { fileIds })} library={library} errors={errorsFor("fileIds")} />
            <MessageTextField value={draft.text} errors={errorsFor("text")} onChange={(text) => change("text", { text })} onBlur={() => touch("text")} />
            <RecipientsInput
              text={draft.recipientsText}
              textVersion={generation}
              fileName={draft.recipientsFile}
              analysis={analysis}
              errors={errorsFor("recipients")}
              onTextChange={(recipientsText, options) => {
                change("recipients", { recipientsText });
                analyzeText(recipientsText, options);
              }}
              onFileChosen={(file) => {
                change("recipients", { recipientsFile: file.name });
                void analyzeFile(file);
              }}
              onUseTypedNumbers={() => {
                change("recipients", { recipientsFile: null });
                analyzeText(draft.recipientsText, { immediate: true });
              }}
              onBlur={() => touch("recipients")}
            />
            <SchedulePicker schedule={draft.schedule} errors={errorsFor("schedule")} now={now} onChange={(schedule) => change("schedule", { schedule })} />
            <AdvancedOptions options={draft.options} errors={errorsFor("options")} validation={validation} onChange={(options) => change("options", { options })} />

            <div className="flex flex-wrap items-center gap-3 border-t border-slate-200 pt-4">
              <Button variant="secondary" onClick={() => void submit("test")}>
                {busy === "test" ? "Running the preview…" : "Preview (test mode)"}
              </Button>
              <button type="button" ref={sendButton} className={buttonClass("primary")} onClick={() => void submit("send")}>
                {busy === "send" ? (scheduled ? "Scheduling…" : "Sending…") : scheduled ? "Schedule" : "Send"}
              </button>
              <span className="text-sm text-slate-600">
                {busy === "checking" ? "Checking the form…" : "The preview asks the gateway about every number and sends nothing."}
              </span>
            </div>
            <p
              ref={noticeLine}
              tabIndex={-1}
              role={notice?.tone === "error" ? "alert" : "status"}
              data-testid="compose-notice"
              className={`text-sm outline-none ${notice?.tone === "error" ? "font-medium text-danger" : "text-slate-700"}`}
            >
              {notice?.text}
            </p>
          </fieldset>
        </form>

        <aside aria-label="Preview and credit" className="space-y-4 self-start lg:sticky lg:top-4">
          <PhonePreview title={draft.title} files={chosen} missingFiles={draft.fileIds.length - chosen.length} text={draft.text} />
          <SendLimits recipients={validCount} />
        </aside>
      </div>

      {draft.previewCampaignId ? (
        <div ref={previewPanel} tabIndex={-1} className="mt-8 outline-none">
          <Suspense fallback={resultsFallback}>
            <CampaignResults
              key={draft.previewCampaignId}
              campaignId={draft.previewCampaignId}
              heading="Test preview: the gateway's answer"
              footer={
                <Button variant="secondary" onClick={dismissPreview}>
                  Close the preview
                </Button>
              }
            />
          </Suspense>
        </div>
      ) : null}

      {confirmation ? (
        <ConfirmDialog
          open
          title={confirmation.when ? "Schedule this MMS?" : "Send this MMS now?"}
          confirmLabel={`${confirmation.when ? "Schedule for" : "Send to"} ${plural(confirmation.recipients.length, "recipient")}`}
          busy={busy === "send"}
          onConfirm={() => void launch("send", confirmation.recipients)}
          onCancel={() => {
            setConfirmation(null);
            sendButton.current?.focus();
          }}
        >
          <p>
            “{draft.title.trim()}” with {plural(draft.fileIds.length, "file")} goes to{" "}
            <strong>{plural(confirmation.recipients.length, "recipient")}</strong>
            {confirmation.when ? (
              <>
                {" "}
                on <strong>{confirmation.when}</strong>
              </>
            ) : (
              " right away"
            )}
            . That uses {plural(confirmation.recipients.length, "MMS", "MMS")} of the account's credit.
          </p>
          {confirmation.rejected > 0 ? (
            <p className="mt-2">{plural(confirmation.rejected, "entry", "entries")} of the list will be left out (see “Not included”).</p>
          ) : null}
        </ConfirmDialog>
      ) : null}
    </>
  );
}
