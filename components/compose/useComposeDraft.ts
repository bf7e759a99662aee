"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import {
  applyEdit,
  completeIntent,
  type ComposeDraft,
  DRAFT_STORAGE_KEY,
  type DraftEdit,
  EMPTY_DRAFT,
  forgetIntent,
  type IntentKind,
  isEmptyDraft,
  parseDraft,
  readStoredRecipients,
  recipientWrites,
  serializeDraft,
  withIntentKey,
  writeStoredRecipients,
} from "./draft";

/** Typing in a 100 000-line recipient list must not serialise megabytes on every key press. */
const SAVE_DELAY_MS = 400;

export type ComposeDraftApi = ReturnType<typeof useComposeDraft>;

/**
 * The draft as React state, mirrored into sessionStorage. Every change goes through a ref first, so an
 * idempotency key created by a click is readable (and stored) before the request leaves, even when
 * React has not re-rendered yet.
 */
export function useComposeDraft() {
  const [draft, setDraft] = useState<ComposeDraft>(EMPTY_DRAFT);
  // Storage is only readable in the browser; the form stays disabled until the stored draft is in.
  const [restored, setRestored] = useState(false);
  const [storageFailed, setStorageFailed] = useState(false);
  // Bumped whenever the draft is replaced from outside the form (restored, reset), so uncontrolled
  // inputs remount with the new content.
  const [generation, setGeneration] = useState(0);
  const current = useRef<ComposeDraft>(EMPTY_DRAFT);
  const saveTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const savedRecipients = useRef("");

  // Steps still to run to store the recipient list, one per task (a long list goes in pieces).
  const recipientSteps = useRef<(() => void)[]>([]);
  const stepTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const runRecipientSteps = useCallback((all: boolean) => {
    if (stepTimer.current) clearTimeout(stepTimer.current);
    stepTimer.current = null;
    try {
      do recipientSteps.current.shift()?.();
      while (all && recipientSteps.current.length > 0);
    } catch {
      recipientSteps.current = [];
      setStorageFailed(true);
      return;
    }
    if (recipientSteps.current.length > 0) stepTimer.current = setTimeout(() => runRecipientSteps(false), 0);
  }, []);

  const write = useCallback(
    (value: ComposeDraft) => {
      if (saveTimer.current) clearTimeout(saveTimer.current);
      saveTimer.current = null;
      try {
        if (isEmptyDraft(value)) sessionStorage.removeItem(DRAFT_STORAGE_KEY);
        else sessionStorage.setItem(DRAFT_STORAGE_KEY, serializeDraft(value));
        if (value.recipientsText !== savedRecipients.current) {
          // A newer list replaces whatever part of an older one was still waiting to be written.
          recipientSteps.current = recipientWrites(sessionStorage, value.recipientsText);
          savedRecipients.current = value.recipientsText;
          runRecipientSteps(false);
        }
        setStorageFailed(false);
      } catch {
        // Quota exceeded or storage disabled: the form keeps working from memory.
        setStorageFailed(true);
      }
    },
    [runRecipientSteps],
  );

  const commit = useCallback(
    (next: ComposeDraft, when: "now" | "soon") => {
      current.current = next;
      setDraft(next);
      if (when === "now") write(next);
      else {
        if (saveTimer.current) clearTimeout(saveTimer.current);
        saveTimer.current = setTimeout(() => write(current.current), SAVE_DELAY_MS);
      }
    },
    [write],
  );

  useEffect(() => {
    let stored: ComposeDraft | null = null;
    try {
      stored = parseDraft(sessionStorage.getItem(DRAFT_STORAGE_KEY), readStoredRecipients(sessionStorage));
      savedRecipients.current = stored?.recipientsText ?? "";
      if (!stored) writeStoredRecipients(sessionStorage, "");
    } catch {
      setStorageFailed(true);
    }
    if (stored) {
      current.current = stored;
      setDraft(stored);
      setGeneration((n) => n + 1);
    }
    setRestored(true);
    const flush = () => {
      if (saveTimer.current) write(current.current);
      // Leaving the page: the rest of the list is written now, whatever it costs.
      runRecipientSteps(true);
    };
    window.addEventListener("pagehide", flush);
    return () => {
      window.removeEventListener("pagehide", flush);
      flush();
    };
  }, [write, runRecipientSteps]);

  return {
    draft,
    generation,
    restored,
    storageFailed,
    /** A change made by the user: a new intent, so earlier keys are dropped. */
    edit: useCallback((change: DraftEdit) => commit(applyEdit(current.current, change), "soon"), [commit]),
    /** The key for this intent, stored before it is returned. */
    intentKey: useCallback(
      (kind: IntentKind) => {
        const { draft: next, key } = withIntentKey(current.current, kind);
        if (next !== current.current) commit(next, "now");
        return key;
      },
      [commit],
    ),
    /** The server refused this intent's key: the next press makes a new one. */
    forgetIntent: useCallback((kind: IntentKind) => commit(forgetIntent(current.current, kind), "now"), [commit]),
    completeIntent: useCallback(
      (kind: IntentKind, campaignId: string) => commit(completeIntent(current.current, kind, campaignId), "now"),
      [commit],
    ),
    dismissPreview: useCallback(() => commit({ ...current.current, previewCampaignId: null }, "now"), [commit]),
    reset: useCallback(() => {
      commit(EMPTY_DRAFT, "now");
      setGeneration((n) => n + 1);
    }, [commit]),
  };
}
