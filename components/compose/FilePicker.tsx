"use client";

import { useQueryClient, type UseQueryResult } from "@tanstack/react-query";
import dynamic from "next/dynamic";
import { useCallback, useEffect, useId, useRef, useState } from "react";
import { MediaThumb } from "@/components/media/MediaThumb";
import { MEDIA_QUERY_KEY } from "@/components/media/useMediaLibrary";
import { buttonClass } from "@/components/ui/Button";
import { QueryError } from "@/components/ui/QueryError";
import { FieldError } from "@/components/ui/FieldError";
import { MAX_FILES_PER_MMS } from "@/lib/compose/limits";
import { formatBytes } from "@/lib/format/units";
import type { MediaItem } from "@/lib/media/library-types";
import { loadValidation } from "./useValidation";

/**
 * The same dropzone as /media, loaded after the form is interactive: react-dropzone and the upload
 * runner stay out of the composer's first-load JavaScript.
 */
const MediaDropzone = dynamic(() => import("@/components/media/MediaDropzone").then((m) => m.MediaDropzone), {
  loading: () => <p className="mt-2 text-sm text-slate-500">Loading the upload area…</p>,
});

/** Past this many files a filter box saves scrolling through the whole library. */
const FILTER_FROM = 9;

type Notice = { tone: "info" | "error"; text: string };

/**
 * Chooses 1–10 library files in sending order: toggle buttons in the library, and an ordered list
 * with move up / move down / remove buttons (focus follows the moved file, so a keyboard user can
 * press the same button again).
 */
export function FilePicker({
  fileIds,
  onChange,
  library,
  errors,
}: {
  fileIds: string[];
  onChange: (fileIds: string[]) => void;
  library: UseQueryResult<MediaItem[]>;
  errors: string[];
}) {
  const queryClient = useQueryClient();
  const [notice, setNotice] = useState<Notice | null>(null);
  const [filter, setFilter] = useState("");
  const filterId = useId();
  const latest = useRef(fileIds);
  latest.current = fileIds;
  const report = useRef(onChange);
  report.current = onChange;
  const buttons = useRef(new Map<string, HTMLElement>());
  const focusNext = useRef<{ key: string; fallbacks: string[] } | null>(null);

  const items = library.data ?? [];
  const byId = new Map(items.map((item) => [item.id, item]));
  const nameOf = (id: string) => byId.get(id)?.name ?? `file ${id}`;

  // Reads refs only, so addFiles stays stable for an upload component that keeps it across renders.
  const change = useCallback((next: string[]) => {
    latest.current = next;
    report.current(next);
  }, []);

  /**
   * Attaches files in order until the MMS is full; the rest are refused with the server's own message
   * for a set that large. Also the entry point for files uploaded from inside the composer.
   */
  const addFiles = useCallback(
    async (added: MediaItem[]) => {
      if (added.length === 0) return;
      // Uploads show up in the library at once, without waiting for the list to be fetched again.
      queryClient.setQueryData<MediaItem[]>(MEDIA_QUERY_KEY, (old) =>
        old ? [...added.filter((item) => !old.some((known) => known.id === item.id)), ...old] : old,
      );
      const fresh = added.filter((item) => !latest.current.includes(item.id));
      const room = Math.max(0, MAX_FILES_PER_MMS - latest.current.length);
      const taken = fresh.slice(0, room);
      const refused = fresh.slice(room);
      if (taken.length > 0) change([...latest.current, ...taken.map((item) => item.id)]);
      if (refused.length === 0) {
        setNotice(taken.length > 0 ? { tone: "info", text: `Attached ${taken.map((item) => item.name).join(", ")}.` } : null);
        return;
      }
      const wouldBe = [...latest.current, ...refused.map((item) => item.id)];
      let reason: string;
      try {
        reason = (await loadValidation()).fileErrors(wouldBe)[0] ?? "";
      } catch {
        reason = "";
      }
      setNotice({
        tone: "error",
        text: `Not attached: ${refused.map((item) => item.name).join(", ")}. ${reason || `An MMS can carry at most ${MAX_FILES_PER_MMS} files.`}`,
      });
    },
    [queryClient, change],
  );

  const detach = (id: string) => {
    const index = latest.current.indexOf(id);
    const next = latest.current.filter((fileId) => fileId !== id);
    change(next);
    const neighbour = next[index] ?? next[index - 1];
    focusNext.current = { key: neighbour ? `remove:${neighbour}` : "library", fallbacks: ["library"] };
    setNotice({ tone: "info", text: `Removed ${nameOf(id)}.` });
  };

  const toggle = (item: MediaItem) => {
    if (latest.current.includes(item.id)) {
      change(latest.current.filter((id) => id !== item.id));
      setNotice({ tone: "info", text: `Removed ${item.name}.` });
    } else {
      void addFiles([item]);
    }
  };

  const move = (id: string, delta: -1 | 1) => {
    const from = latest.current.indexOf(id);
    const to = from + delta;
    if (from < 0 || to < 0 || to >= latest.current.length) return;
    const next = [...latest.current];
    [next[from], next[to]] = [next[to]!, next[from]!];
    change(next);
    const same = delta < 0 ? `up:${id}` : `down:${id}`;
    focusNext.current = { key: same, fallbacks: [delta < 0 ? `down:${id}` : `up:${id}`] };
    setNotice({ tone: "info", text: `${nameOf(id)} moved to position ${to + 1} of ${next.length}.` });
  };

  useEffect(() => {
    const target = focusNext.current;
    if (!target) return;
    focusNext.current = null;
    for (const key of [target.key, ...target.fallbacks]) {
      const element = buttons.current.get(key);
      if (element && !(element instanceof HTMLButtonElement && element.disabled)) {
        element.focus();
        return;
      }
    }
  }, [fileIds]);

  const register = (key: string) => (element: HTMLElement | null) => {
    if (element) buttons.current.set(key, element);
    else buttons.current.delete(key);
  };

  const query = filter.trim().toLowerCase();
  const shown = query ? items.filter((item) => item.name.toLowerCase().includes(query)) : items;
  const full = fileIds.length >= MAX_FILES_PER_MMS;

  return (
    <fieldset aria-describedby="compose-files-hint compose-files-error">
      <legend className="text-sm font-semibold">Files</legend>
      <p id="compose-files-hint" className="text-sm text-slate-600">
        Choose 1 to {MAX_FILES_PER_MMS} files from the library; the phone shows them in this order.{" "}
        <span data-testid="files-chosen-count" className={full ? "font-semibold text-slate-800" : undefined}>
          {fileIds.length} of {MAX_FILES_PER_MMS} chosen.
        </span>
      </p>

      {fileIds.length > 0 ? (
        <ol aria-label="Chosen files" className="mt-2 divide-y divide-slate-200 rounded-md border border-slate-200 bg-white">
          {fileIds.map((id, index) => {
            const item = byId.get(id);
            const name = nameOf(id);
            return (
              <li key={id} className="flex items-center gap-3 p-2">
                <span className="w-6 text-right text-sm tabular-nums text-slate-500" aria-hidden="true">
                  {index + 1}.
                </span>
                {item ? <MediaThumb item={item} size="xs" /> : null}
                <span className="min-w-0 flex-1">
                  <span className="block truncate text-sm font-medium">{name}</span>
                  <span className="block text-xs text-slate-500">
                    {item ? formatBytes(item.size) : library.isPending ? "Loading…" : "No longer in the library: remove it."}
                  </span>
                </span>
                <span className="flex gap-1">
                  <button
                    type="button"
                    ref={register(`up:${id}`)}
                    className={buttonClass("secondary", "sm")}
                    aria-label={`Move ${name} up`}
                    disabled={index === 0}
                    onClick={() => move(id, -1)}
                  >
                    ↑
                  </button>
                  <button
                    type="button"
                    ref={register(`down:${id}`)}
                    className={buttonClass("secondary", "sm")}
                    aria-label={`Move ${name} down`}
                    disabled={index === fileIds.length - 1}
                    onClick={() => move(id, 1)}
                  >
                    ↓
                  </button>
                  <button type="button" ref={register(`remove:${id}`)} className={buttonClass("ghost", "sm")} aria-label={`Remove ${name}`} onClick={() => detach(id)}>
                    Remove
                  </button>
                </span>
              </li>
            );
          })}
        </ol>
      ) : null}

      <p
        id="compose-files-status"
        role="status"
        className={`mt-2 text-sm ${notice?.tone === "error" ? "font-medium text-danger" : "text-slate-600"}`}
      >
        {notice?.text}
      </p>
      <FieldError id="compose-files-error" messages={errors} />

      <div className="mt-3 flex flex-wrap items-end justify-between gap-2">
        <h3 ref={register("library")} tabIndex={-1} className="text-sm font-semibold">
          Library
        </h3>
        {items.length >= FILTER_FROM ? (
          <span>
            <label htmlFor={filterId} className="sr-only">
              Filter the library by name
            </label>
            <input
              id={filterId}
              type="search"
              value={filter}
              onChange={(event) => setFilter(event.target.value)}
              placeholder="Filter by name"
              className="rounded-md border border-slate-300 px-2 py-1 text-sm"
            />
          </span>
        ) : null}
      </div>

      <div className="mt-2">
        <MediaDropzone compact onUploaded={addFiles} />
      </div>

      {library.isPending ? (
        <p className="mt-2 text-sm text-slate-600" role="status">
          Loading the library…
        </p>
      ) : library.isError && items.length === 0 ? (
        <QueryError
          error={library.error}
          fallback="The library could not be loaded."
          onRetry={() => void library.refetch()}
          className="mt-2 rounded-md bg-danger-light p-3 text-sm"
        />
      ) : items.length === 0 ? (
        <p className="mt-2 rounded-md border-2 border-dashed border-slate-300 p-4 text-sm text-slate-600">
          The library is empty. Drop files above to upload them; they are attached as they arrive.
        </p>
      ) : (
        <ul aria-label="Library files" className="mt-2 grid max-h-96 grid-cols-1 gap-2 overflow-y-auto p-1 sm:grid-cols-2">
          {shown.map((item) => {
            const position = fileIds.indexOf(item.id);
            const chosen = position >= 0;
            return (
              <li key={item.id}>
                <button
                  type="button"
                  aria-pressed={chosen}
                  aria-label={`Attach ${item.name}`}
                  title={!chosen && full ? `Already ${MAX_FILES_PER_MMS} files: remove one first` : undefined}
                  onClick={() => toggle(item)}
                  className={`flex w-full items-center gap-3 rounded-md border p-2 text-left ${
                    chosen ? "border-brand bg-brand-light" : "border-slate-200 bg-white hover:border-slate-400"
                  } ${!chosen && full ? "opacity-60" : ""}`}
                >
                  <MediaThumb item={item} size="sm" />
                  <span className="min-w-0 flex-1">
                    <span className="block truncate text-sm font-medium">{item.name}</span>
                    <span className="block text-xs text-slate-500">{formatBytes(item.size)}</span>
                  </span>
                  <span aria-hidden="true" className="text-sm font-semibold text-brand">
                    {chosen ? `✓ ${position + 1}` : "+"}
                  </span>
                </button>
              </li>
            );
          })}
          {shown.length === 0 ? <li className="text-sm text-slate-600">No file name contains “{filter}”.</li> : null}
        </ul>
      )}
    </fieldset>
  );
}
