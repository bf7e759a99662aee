"use client";

import { buttonClass } from "@/components/ui/Button";
import { FieldError } from "@/components/ui/FieldError";
import { LargeTextarea } from "@/components/ui/LargeTextarea";
import { formatBytes, formatCount, plural } from "@/lib/format/units";
import { type ClipboardEvent, lazy, Suspense, useEffect, useMemo, useRef, useState } from "react";
import { countLines, isLargeList, textAfterPaste } from "./large-list";
import type { RecipientAnalysis, RecipientReady } from "./useRecipientWorker";

// The virtualiser is needed only once some entry is refused.
const RejectedList = lazy(() => import("./RejectedList").then((module) => ({ default: module.RejectedList })));

const ACCEPTED_FILES = ".csv,.txt,.xlsx,text/csv,text/plain,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

function Counts({ ready, stale }: { ready: RecipientReady; stale: boolean }) {
  const { counts } = ready.plan;
  const cells: { key: string; label: string; value: number; tone: string }[] = [
    { key: "valid", label: "Valid", value: counts.valid, tone: "text-ok" },
    { key: "invalid", label: "Invalid", value: counts.invalid, tone: counts.invalid ? "text-danger" : "" },
    { key: "duplicates", label: "Duplicates", value: counts.duplicates, tone: counts.duplicates ? "text-warn" : "" },
    { key: "empty", label: "Empty", value: counts.empty, tone: "" },
  ];
  return (
    <dl className={`mt-2 grid grid-cols-4 gap-2 text-center ${stale ? "opacity-50" : ""}`}>
      {cells.map((cell) => (
        <div key={cell.key} className="rounded-md border border-slate-200 bg-white p-2">
          <dt className="text-xs text-slate-600">{cell.label}</dt>
          <dd data-testid={`recipients-${cell.key}`} className={`text-lg font-semibold tabular-nums ${cell.tone}`}>
            {formatCount(cell.value)}
          </dd>
        </div>
      ))}
    </dl>
  );
}

function columnNote(ready: RecipientReady): string | null {
  if (!ready.column) return null;
  const { letter, header } = ready.column;
  return header ? `Numbers taken from column ${letter} (“${header}”).` : `Numbers taken from column ${letter} (the file has no header row).`;
}

/**
 * Recipients typed or pasted (one per line, or separated by commas, semicolons or spaces) or imported
 * from CSV/XLSX. The worker's verdict is shown before anything is sent: counts, and every entry that
 * will be left out with its line and reason.
 */
export function RecipientsInput({
  text,
  textVersion,
  fileName,
  analysis,
  errors,
  onTextChange,
  onFileChosen,
  onUseTypedNumbers,
  onBlur,
}: {
  text: string;
  /** Changes when `text` was replaced from outside (draft restored or reset). */
  textVersion: number;
  fileName: string | null;
  analysis: RecipientAnalysis;
  errors: string[];
  /** `immediate`: check at once (a paste or a clear), not after the typing pause. */
  onTextChange: (text: string, options?: { immediate?: boolean }) => void;
  onFileChosen: (file: File) => void;
  onUseTypedNumbers: () => void;
  onBlur: () => void;
}) {
  const ready: RecipientReady | null = analysis.status === "ready" ? analysis : analysis.status === "checking" ? analysis.previous : null;
  const [editLarge, setEditLarge] = useState(false);
  const collapsed = isLargeList(text) && !editLarge;
  const lines = useMemo(() => (collapsed ? countLines(text) : 0), [collapsed, text]);
  const summaryPanel = useRef<HTMLDivElement>(null);
  const focusSummary = useRef(false);
  useEffect(() => {
    if (collapsed && focusSummary.current) summaryPanel.current?.focus();
    focusSummary.current = false;
  }, [collapsed]);

  /**
   * A paste that makes the list large never reaches the textarea: the browser would spend seconds
   * laying it out. The text goes straight to the checker and the summary replaces the textarea.
   */
  const pasteLargeList = (event: ClipboardEvent<HTMLTextAreaElement>) => {
    // Reading 1.3 MB from the clipboard alone costs Chromium 60–90 ms, and only here, synchronously.
    const pasted = event.clipboardData.getData("text/plain");
    const element = event.currentTarget;
    const next = textAfterPaste(element.value, element.selectionStart, element.selectionEnd, pasted);
    if (!isLargeList(next)) return;
    event.preventDefault();
    // Our own part (state, render, handing the text to the worker) runs in the next task, so the two
    // costs never add up to one long freeze.
    setTimeout(() => {
      focusSummary.current = true;
      setEditLarge(false);
      onTextChange(next, { immediate: true });
    }, 0);
  };
  const fromFile = fileName !== null;
  const invalid = errors.length > 0;
  const unit = ready?.source.kind === "file" && ready.source.format === "xlsx" ? "Row" : "Line";
  const rejected = ready?.plan.rejected ?? [];

  return (
    <fieldset>
      <legend className="text-sm font-semibold">Recipients</legend>
      <p id="compose-recipients-hint" className="text-sm text-slate-600">
        Mobile numbers, one per line or separated by commas, semicolons or spaces. Polish numbers may leave out +48. Or import a
        CSV or Excel (.xlsx) file with a phone column.
      </p>

      {fromFile ? (
        <div className="mt-2 flex flex-wrap items-center justify-between gap-2 rounded-md border border-slate-200 bg-white p-3 text-sm">
          <span>
            From file <strong>{fileName}</strong>
            {analysis.status === "idle" ? (
              <span className="block text-warn">Files are not kept when the page reloads: choose the file again.</span>
            ) : null}
          </span>
          <button type="button" className={buttonClass("secondary", "sm")} onClick={onUseTypedNumbers}>
            Type or paste numbers instead
          </button>
        </div>
      ) : collapsed ? (
        <div
          ref={summaryPanel}
          tabIndex={-1}
          role="group"
          aria-labelledby="compose-recipients-pasted"
          className="mt-2 flex flex-wrap items-center justify-between gap-2 rounded-md border border-slate-200 bg-white p-3 text-sm"
          data-testid="recipients-pasted"
        >
          <span id="compose-recipients-pasted">
            Pasted list: <strong>{plural(lines, "line")}</strong> ({formatBytes(text.length)}). It is shown as a summary:
            a list this long would freeze the page while the browser lays it out for editing.
          </span>
          <span className="flex gap-2">
            <button type="button" className={buttonClass("secondary", "sm")} onClick={() => setEditLarge(true)}>
              Edit as text (slow)
            </button>
            <button
              type="button"
              className={buttonClass("secondary", "sm")}
              onClick={() => {
                onTextChange("", { immediate: true });
                requestAnimationFrame(() => document.getElementById("compose-recipients")?.focus());
              }}
            >
              Clear the list
            </button>
          </span>
        </div>
      ) : (
        <>
          <label htmlFor="compose-recipients" className="sr-only">
            Phone numbers
          </label>
          <LargeTextarea
            version={textVersion}
            initialValue={text}
            onValueChange={onTextChange}
            onPaste={pasteLargeList}
            id="compose-recipients"
            name="recipients"
            rows={6}
            spellCheck={false}
            autoComplete="off"
            onBlur={onBlur}
            aria-invalid={invalid}
            aria-describedby="compose-recipients-hint compose-recipients-summary compose-recipients-error"
            className={`mt-2 w-full rounded-md border px-3 py-2 font-mono text-sm ${invalid ? "border-danger" : "border-slate-300"}`}
            placeholder={"500 600 700\n+48 501 602 703"}
          />
        </>
      )}

      <div className="mt-2">
        <label htmlFor="compose-recipients-file" className="text-sm font-medium">
          Import from a file (CSV or .xlsx)
        </label>
        <input
          id="compose-recipients-file"
          type="file"
          accept={ACCEPTED_FILES}
          aria-describedby="compose-recipients-summary compose-recipients-error"
          onChange={(event) => {
            const file = event.target.files?.[0];
            // Cleared so choosing the same (edited) file again is noticed.
            event.target.value = "";
            if (file) onFileChosen(file);
          }}
          className="mt-1 block w-full text-sm file:mr-3 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-3 file:py-1.5 file:text-sm file:font-semibold"
        />
      </div>

      <div id="compose-recipients-summary" role="status" className="mt-2 text-sm">
        {analysis.status === "checking" ? <p className="text-slate-600">Checking the numbers…</p> : null}
        {analysis.status === "error" ? <p className="font-medium text-danger">{analysis.message}</p> : null}
        {ready ? (
          <>
            <p className="text-slate-700">
              {plural(ready.plan.counts.total, "entry", "entries")} checked
              {ready.source.kind === "file" ? ` from ${ready.source.name}` : ""}. {columnNote(ready)}
            </p>
            <Counts ready={ready} stale={analysis.status === "checking"} />
          </>
        ) : null}
      </div>

      {ready && rejected.length > 0 ? (
        <div className="mt-3">
          <h3 className="text-sm font-semibold">Not included ({formatCount(rejected.length)})</h3>
          <Suspense fallback={<p className="mt-2 text-sm text-slate-600">Loading the list…</p>}>
            <RejectedList rejected={rejected} unit={unit} />
          </Suspense>
        </div>
      ) : null}

      <FieldError id="compose-recipients-error" messages={errors} />
    </fieldset>
  );
}
