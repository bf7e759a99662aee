"use client";

import { useQueryClient } from "@tanstack/react-query";
import { type KeyboardEvent, useDeferredValue, useId, useMemo, useRef, useState, useTransition } from "react";

import { deleteMedia } from "@/app/(dashboard)/media/actions";
import { Button } from "@/components/ui/Button";
import { ConfirmDialog } from "@/components/ui/ConfirmDialog";
import { EmptyState } from "@/components/ui/EmptyState";
import { plural, unreadableCount } from "@/lib/format/units";
import type { MediaItem, MediaLibraryPage } from "@/lib/media/library-types";

import { forgetMediaItem, refreshMediaLibrary } from "./library-cache";
import { applyLibraryView, DEFAULT_VIEW, KIND_OPTIONS, type KindFilter, type LibraryView, SORT_OPTIONS, type SortKey } from "./library-view";
import { MediaCard, MEDIA_CARD_HEIGHT } from "./MediaCard";
import { useMediaLibrary, useUnreadableCount } from "./useMediaLibrary";
import { useVoiceLibrary } from "./useVoiceLibrary";
import { VirtualMediaGrid } from "./VirtualMediaGrid";

type Tab = "mms" | "voice";

function LibrarySkeleton() {
  return (
    <div role="status" aria-live="polite" className="grid animate-pulse grid-cols-2 gap-4 md:grid-cols-4">
      <span className="sr-only">Loading files…</span>
      {Array.from({ length: 8 }, (_, i) => (
        <div key={i} className="rounded-lg bg-slate-200" style={{ height: MEDIA_CARD_HEIGHT }} />
      ))}
    </div>
  );
}

function LoadError({ error, onRetry, retrying }: { error: unknown; onRetry: () => void; retrying: boolean }) {
  const message = error instanceof Error ? error.message : "The file list could not be loaded.";
  return (
    <div role="alert" className="rounded-lg border border-danger/30 bg-danger-light p-5">
      <p className="font-semibold text-danger">Could not load the file list from the gateway</p>
      <p className="mt-1 text-sm text-slate-800">{message}</p>
      <Button className="mt-3" variant="secondary" size="sm" onClick={onRetry} disabled={retrying}>
        {retrying ? "Trying again…" : "Try again"}
      </Button>
    </div>
  );
}

/**
 * Items of the gateway's answer that could not be read are left out of the list (lib/serwersms reads
 * answers item by item); the person looking at the list is told, so a missing file is not a mystery.
 */
function UnreadableNote({ count }: { count: number }) {
  if (count === 0) return null;
  return (
    <p role="status" className="mb-3 rounded-md bg-warn-light p-3 text-sm text-warn" data-testid="library-unreadable">
      {unreadableCount(count, "file")} and {count === 1 ? "is" : "are"} not shown. An admin can see why in the server log.
    </p>
  );
}

/** Search, type filter and sort; also used by the read-only voice tab (where every file is audio). */
function Toolbar({ view, onChange, showKind }: { view: LibraryView; onChange: (view: LibraryView) => void; showKind: boolean }) {
  const id = useId();
  return (
    <div className="flex flex-wrap items-end gap-3">
      <div className="min-w-56 flex-1">
        <label htmlFor={`${id}-q`} className="block text-xs font-semibold text-slate-700">
          Search by name
        </label>
        <input
          id={`${id}-q`}
          type="search"
          value={view.query}
          onChange={(event) => onChange({ ...view, query: event.target.value })}
          placeholder="e.g. promo"
          className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2 text-sm"
        />
      </div>
      {showKind ? (
        <div>
          <label htmlFor={`${id}-kind`} className="block text-xs font-semibold text-slate-700">
            Type
          </label>
          <select
            id={`${id}-kind`}
            value={view.kind}
            onChange={(event) => onChange({ ...view, kind: event.target.value as KindFilter })}
            className="mt-1 rounded-md border border-slate-300 bg-white px-3 py-2 text-sm"
          >
            {KIND_OPTIONS.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <div>
        <label htmlFor={`${id}-sort`} className="block text-xs font-semibold text-slate-700">
          Sort by
        </label>
        <select
          id={`${id}-sort`}
          value={view.sort}
          onChange={(event) => onChange({ ...view, sort: event.target.value as SortKey })}
          className="mt-1 rounded-md border border-slate-300 bg-white px-3 py-2 text-sm"
        >
          {SORT_OPTIONS.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}

function FileGrid({
  items,
  label,
  emptyTitle,
  emptyHint,
  showKind,
  onDelete,
}: {
  items: MediaItem[];
  label: string;
  emptyTitle: string;
  emptyHint: string;
  showKind: boolean;
  onDelete?: (item: MediaItem) => void;
}) {
  const [view, setView] = useState<LibraryView>(DEFAULT_VIEW);
  // Typing stays responsive with thousands of files: filtering runs at lower priority.
  const deferredView = useDeferredValue(view);
  const shown = useMemo(() => applyLibraryView(items, deferredView), [items, deferredView]);
  const filtering = view.query.trim() !== "" || view.kind !== "all";

  if (items.length === 0) {
    return (
      <EmptyState title={emptyTitle}>
        <p>{emptyHint}</p>
      </EmptyState>
    );
  }
  return (
    <div className="space-y-4">
      <Toolbar view={view} onChange={setView} showKind={showKind} />
      <p aria-live="polite" className="text-sm text-slate-600" data-testid="library-count">
        {filtering ? `Showing ${shown.length} of ${plural(items.length, "file")}` : plural(items.length, "file")}
      </p>
      {shown.length === 0 ? (
        <EmptyState title="No files match">
          <p>Try another name or type.</p>
          <Button className="mt-3" variant="secondary" size="sm" onClick={() => setView({ ...DEFAULT_VIEW, sort: view.sort })}>
            Clear search and filter
          </Button>
        </EmptyState>
      ) : (
        <VirtualMediaGrid
          items={shown}
          label={label}
          renderItem={(item, index) => <MediaCard key={item.id} item={item} position={index + 1} total={shown.length} onDelete={onDelete} />}
        />
      )}
    </div>
  );
}

export function MediaLibrary({
  initialItems,
  initialVoice,
  canDelete,
  canUpload,
}: {
  /** Listed on the server; undefined when the gateway failed there (the client then retries). */
  initialItems: MediaLibraryPage | undefined;
  initialVoice: MediaLibraryPage | undefined;
  canDelete: boolean;
  canUpload: boolean;
}) {
  const client = useQueryClient();
  const [tab, setTab] = useState<Tab>("mms");
  const mms = useMediaLibrary(initialItems?.items);
  const voice = useVoiceLibrary(initialVoice?.items, tab === "voice");
  const unreadable = { mms: useUnreadableCount("mms", initialItems?.unreadable), voice: useUnreadableCount("voice", initialVoice?.unreadable) };
  const tabIds = { mms: useId(), voice: useId() };
  const panelId = useId();
  const mmsTabRef = useRef<HTMLButtonElement>(null);
  const voiceTabRef = useRef<HTMLButtonElement>(null);

  const [target, setTarget] = useState<MediaItem | null>(null);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [deleting, startDelete] = useTransition();
  const noticeRef = useRef<HTMLParagraphElement>(null);

  function confirmDelete() {
    if (!target) return;
    const item = target;
    setDeleteError(null);
    startDelete(async () => {
      let result: Awaited<ReturnType<typeof deleteMedia>>;
      try {
        result = await deleteMedia({ id: item.id });
      } catch {
        setDeleteError("The connection to the server was interrupted. Check your network and try again.");
        return;
      }
      if (!result.ok) {
        setDeleteError(result.message);
        return;
      }
      forgetMediaItem(client, item.id);
      void refreshMediaLibrary(client);
      setTarget(null);
      setNotice(result.alreadyGone ? `${item.name} was already gone at the gateway; it has been removed from the library.` : `Deleted ${item.name}.`);
      // The card (and its Delete button) is gone: put focus somewhere meaningful.
      requestAnimationFrame(() => noticeRef.current?.focus());
    });
  }

  function onTabKey(event: KeyboardEvent<HTMLButtonElement>) {
    if (event.key !== "ArrowLeft" && event.key !== "ArrowRight" && event.key !== "Home" && event.key !== "End") return;
    event.preventDefault();
    const next: Tab = event.key === "Home" ? "mms" : event.key === "End" ? "voice" : tab === "mms" ? "voice" : "mms";
    setTab(next);
    (next === "mms" ? mmsTabRef : voiceTabRef).current?.focus();
  }

  const tabClass = (active: boolean) =>
    `rounded-t-md border-b-2 px-4 py-2 text-sm font-semibold ${active ? "border-brand text-brand" : "border-transparent text-slate-600 hover:text-slate-900"}`;

  const active = tab === "mms" ? mms : voice;

  return (
    <section aria-labelledby="library-heading" className="space-y-4">
      <h2 id="library-heading" className="text-lg font-semibold">
        Library
      </h2>
      <div role="tablist" aria-label="MMS or voice files" className="flex gap-1 border-b border-slate-200">
        <button
          ref={mmsTabRef}
          id={tabIds.mms}
          type="button"
          role="tab"
          aria-selected={tab === "mms"}
          aria-controls={panelId}
          tabIndex={tab === "mms" ? 0 : -1}
          onClick={() => setTab("mms")}
          onKeyDown={onTabKey}
          className={tabClass(tab === "mms")}
        >
          MMS files{mms.data ? ` (${mms.data.length})` : ""}
        </button>
        <button
          ref={voiceTabRef}
          id={tabIds.voice}
          type="button"
          role="tab"
          aria-selected={tab === "voice"}
          aria-controls={panelId}
          tabIndex={tab === "voice" ? 0 : -1}
          onClick={() => setTab("voice")}
          onKeyDown={onTabKey}
          className={tabClass(tab === "voice")}
        >
          Voice files{voice.data ? ` (${voice.data.length})` : ""}
        </button>
      </div>

      <p ref={noticeRef} tabIndex={-1} role="status" aria-live="polite" className="text-sm font-medium text-ok outline-none" data-testid="library-notice">
        {notice}
      </p>

      <div id={panelId} role="tabpanel" aria-labelledby={tabIds[tab]}>
        {active.data ? <UnreadableNote count={unreadable[tab]} /> : null}
        {active.isPending ? (
          <LibrarySkeleton />
        ) : active.isError && !active.data ? (
          <LoadError error={active.error} onRetry={() => void active.refetch()} retrying={active.isFetching} />
        ) : tab === "mms" ? (
          <FileGrid
            key="mms"
            items={mms.data ?? []}
            label="MMS files"
            emptyTitle="No MMS files yet"
            emptyHint={canUpload ? "Drop images, audio, video or documents above, or import one from a web address." : "Files appear here once a sender uploads them."}
            showKind
            onDelete={
              canDelete
                ? (item) => {
                    setDeleteError(null);
                    setTarget(item);
                  }
                : undefined
            }
          />
        ) : (
          <>
            <p className="mb-3 text-sm text-slate-600">Voice files are managed in the SerwerSMS panel and are shown here read-only.</p>
            <FileGrid key="voice" items={voice.data ?? []} label="Voice files" emptyTitle="No voice files" emptyHint="Voice files added in the SerwerSMS panel appear here." showKind={false} />
          </>
        )}
      </div>

      {canDelete ? (
        <ConfirmDialog
          open={target !== null}
          title="Delete this file?"
          confirmLabel="Delete file"
          confirmVariant="danger"
          busy={deleting}
          onConfirm={confirmDelete}
          onCancel={() => setTarget(null)}
        >
          <p>
            <strong className="break-all">{target?.name}</strong> will be deleted from SerwerSMS and from this library. Campaigns that are already scheduled with it may fail.
          </p>
          <p role="alert" className="mt-2 text-danger">
            {deleteError}
          </p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
