"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import {
  type PhoneColumn,
  type RecipientPlan,
  type RecipientsWorkerMessage,
  type RecipientsWorkerRequest,
  unpackPlan,
} from "@/lib/recipients/worker-protocol";

export type RecipientSource = { kind: "text" } | { kind: "file"; name: string; format: "csv" | "xlsx" };

export type RecipientReady = { status: "ready"; source: RecipientSource; plan: RecipientPlan; column: PhoneColumn | null };

export type RecipientAnalysis =
  | { status: "idle" }
  /** `previous` keeps the last counts on screen while a new check runs, so they do not flicker. */
  | { status: "checking"; source: RecipientSource; previous: RecipientReady | null }
  | RecipientReady
  | { status: "error"; source: RecipientSource; message: string };

/** Long enough to wait for the end of a typed number, short enough to feel live. */
const TYPING_DEBOUNCE_MS = 300;

const WORKER_FAILED =
  "This browser could not check the numbers (the checker did not start). Reload the page; if it keeps happening, try another browser.";
const OLD_EXCEL =
  "Old Excel workbooks (.xls) cannot be read. Open the file in Excel, save it as .xlsx or CSV, and import that.";
const FILE_UNREADABLE = "The file could not be read. Choose it again; if it keeps happening, save it as CSV.";

type WithoutId<T> = T extends unknown ? Omit<T, "id"> : never;
type Job = { request: WithoutId<RecipientsWorkerRequest>; source: RecipientSource; transfer: Transferable[] };

function fileFormat(file: File): "csv" | "xlsx" | "xls" {
  const name = file.name.toLowerCase();
  if (name.endsWith(".xlsx") || file.type === "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet") return "xlsx";
  if (name.endsWith(".xls") || file.type === "application/vnd.ms-excel") return "xls";
  return "csv";
}

/**
 * Checks recipient lists in the recipients Web Worker: parsing and validating 100 000 numbers (and the
 * phone metadata that takes) stays off the main thread and out of the page bundle. Only the newest
 * request counts; answers to older ones are dropped.
 */
export function useRecipientWorker() {
  const [analysis, setAnalysisState] = useState<RecipientAnalysis>({ status: "idle" });
  const current = useRef<RecipientAnalysis>(analysis);
  const worker = useRef<Worker | null>(null);
  const latestId = useRef(0);
  const typingTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const waiters = useRef<((settled: RecipientAnalysis) => void)[]>([]);

  const setAnalysis = useCallback((next: RecipientAnalysis) => {
    current.current = next;
    setAnalysisState(next);
    if (next.status !== "checking") {
      const pending = waiters.current;
      waiters.current = [];
      pending.forEach((resolve) => resolve(next));
    }
  }, []);

  const lastReady = (): RecipientReady | null => {
    const now = current.current;
    if (now.status === "ready") return now;
    if (now.status === "checking") return now.previous;
    return null;
  };

  const getWorker = useCallback((): Worker => {
    if (worker.current) return worker.current;
    const created = new Worker(new URL("../../lib/recipients/recipients.worker.ts", import.meta.url), { type: "module" });
    created.onmessage = (event: MessageEvent<RecipientsWorkerMessage>) => {
      const answer = event.data;
      const now = current.current;
      if (answer.id !== latestId.current || now.status !== "checking") return;
      setAnalysis(
        answer.ok
          ? { status: "ready", source: now.source, plan: unpackPlan(answer.plan), column: answer.column }
          : { status: "error", source: now.source, message: answer.message },
      );
    };
    created.onerror = (event) => {
      event.preventDefault();
      created.terminate();
      worker.current = null;
      const now = current.current;
      if (now.status === "checking") setAnalysis({ status: "error", source: now.source, message: WORKER_FAILED });
    };
    worker.current = created;
    return created;
  }, [setAnalysis]);

  const run = useCallback(
    ({ request, source, transfer }: Job) => {
      const id = ++latestId.current;
      setAnalysis({ status: "checking", source, previous: lastReady() });
      try {
        getWorker().postMessage({ ...request, id } as RecipientsWorkerRequest, transfer);
      } catch {
        setAnalysis({ status: "error", source, message: WORKER_FAILED });
      }
    },
    [getWorker, setAnalysis],
  );

  const cancelTyping = () => {
    if (typingTimer.current) clearTimeout(typingTimer.current);
    typingTimer.current = null;
  };

  const analyzeText = useCallback(
    (text: string, { immediate = false }: { immediate?: boolean } = {}) => {
      cancelTyping();
      const source: RecipientSource = { kind: "text" };
      if (text.trim() === "") {
        latestId.current++; // any answer still on its way is for older text
        setAnalysis({ status: "idle" });
        return;
      }
      if (immediate) {
        run({ request: { kind: "text", text }, source, transfer: [] });
        return;
      }
      // Show "checking" at once, so a Send pressed mid-typing waits for the final list.
      latestId.current++;
      setAnalysis({ status: "checking", source, previous: lastReady() });
      typingTimer.current = setTimeout(() => run({ request: { kind: "text", text }, source, transfer: [] }), TYPING_DEBOUNCE_MS);
    },
    [run, setAnalysis],
  );

  const analyzeFile = useCallback(
    async (file: File) => {
      cancelTyping();
      const format = fileFormat(file);
      const source: RecipientSource = { kind: "file", name: file.name, format: format === "xlsx" ? "xlsx" : "csv" };
      if (format === "xls") {
        latestId.current++;
        setAnalysis({ status: "error", source, message: OLD_EXCEL });
        return;
      }
      const id = ++latestId.current;
      setAnalysis({ status: "checking", source, previous: null });
      try {
        if (format === "xlsx") {
          const data = await file.arrayBuffer();
          if (id === latestId.current) run({ request: { kind: "xlsx", data }, source, transfer: [data] });
        } else {
          const text = await file.text();
          if (id === latestId.current) run({ request: { kind: "csv", text }, source, transfer: [] });
        }
      } catch {
        if (id === latestId.current) setAnalysis({ status: "error", source, message: FILE_UNREADABLE });
      }
    },
    [run, setAnalysis],
  );

  const clear = useCallback(() => {
    cancelTyping();
    latestId.current++;
    setAnalysis({ status: "idle" });
  }, [setAnalysis]);

  /** Resolves with the analysis once no check is running (immediately if none is). */
  const settled = useCallback(
    () =>
      new Promise<RecipientAnalysis>((resolve) => {
        if (current.current.status !== "checking") resolve(current.current);
        else waiters.current.push(resolve);
      }),
    [],
  );

  useEffect(
    () => () => {
      cancelTyping();
      worker.current?.terminate();
      worker.current = null;
    },
    [],
  );

  return { analysis, analyzeText, analyzeFile, clear, settled };
}
