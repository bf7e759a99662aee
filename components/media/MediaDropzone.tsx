"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState, useSyncExternalStore } from "react";
import { type FileRejection, useDropzone } from "react-dropzone";

import { beginUpload, cancelUpload, finishUpload, uploadChunk } from "@/app/(dashboard)/media/actions";
import { Button } from "@/components/ui/Button";
import { ProgressBar } from "@/components/ui/ProgressBar";
import { formatBytes } from "@/lib/format/units";
import type { MediaItem } from "@/lib/media/library-types";
import { MEDIA_MAX_BYTES, MEDIA_MAX_LABEL, UPLOAD_CONCURRENCY } from "@/lib/media/limits";
import { dropzoneAccept } from "@/lib/media/type-table";

import { refreshMediaLibrary, rememberMediaItem } from "./library-cache";
import { createUploadQueue, type UploadEntry, type UploadQueue } from "./upload-queue";
import type { UploadApi } from "./upload-runner";

const ACCEPT = dropzoneAccept();

const API: UploadApi = { begin: beginUpload, chunk: uploadChunk, finish: finishUpload, cancel: cancelUpload };

/**
 * Browser-side checks are a courtesy (no pointless upload of a 30 MB video); the server repeats
 * every check on the real bytes and has the last word.
 */
function clientRefusal(rejection: FileRejection): string {
  const { file, errors } = rejection;
  if (errors.some((error) => error.code === "file-too-large")) {
    return `"${file.name}" is ${formatBytes(file.size)}, but MMS attachments can be at most ${MEDIA_MAX_LABEL}. Make it smaller and upload it again.`;
  }
  if (errors.some((error) => error.code === "file-invalid-type")) {
    return `"${file.name}" is not a file type MMS accepts. Use an image (JPEG, PNG, GIF), audio (MP3, WAV, MIDI), video (MP4, 3GP), a PDF, an office document or plain text.`;
  }
  return `"${file.name}" cannot be uploaded: ${errors[0]?.message ?? "it was refused by the browser"}.`;
}

const STATUS_TEXT: Record<UploadEntry["status"], string> = {
  queued: "Waiting",
  hashing: "Preparing",
  uploading: "Uploading",
  checking: "Checking",
  done: "Uploaded",
  reused: "Reused",
  refused: "Refused",
  failed: "Failed",
  cancelled: "Cancelled",
};

function statusText(entry: UploadEntry): string {
  if (entry.status !== "uploading") return STATUS_TEXT[entry.status];
  return `Uploading ${entry.size > 0 ? Math.floor((entry.sent / entry.size) * 100) : 0}%`;
}

function UploadRow({ entry, queue }: { entry: UploadEntry; queue: UploadQueue }) {
  const cancellable = entry.status === "queued" || entry.status === "hashing" || entry.status === "uploading";
  const tone = entry.status === "done" || entry.status === "reused" ? "ok" : entry.status === "failed" ? "danger" : "brand";
  const showBar = entry.status !== "refused" && entry.status !== "cancelled";
  const problem = entry.status === "refused" || entry.status === "failed";
  return (
    <li className="rounded-md border border-slate-200 bg-white p-3" data-testid="upload-row" data-status={entry.status}>
      <div className="flex items-center gap-3">
        <span className="min-w-0 flex-1 truncate text-sm font-medium" title={entry.name}>
          {entry.name}
        </span>
        <span className="shrink-0 text-xs text-slate-500">{formatBytes(entry.size)}</span>
        <span
          className={`shrink-0 text-xs font-semibold ${problem ? "text-danger" : entry.status === "done" || entry.status === "reused" ? "text-ok" : "text-slate-600"}`}
          data-testid="upload-status"
        >
          {statusText(entry)}
        </span>
        {cancellable ? (
          <Button variant="ghost" size="sm" onClick={() => queue.cancel(entry.key)} aria-label={`Cancel upload of ${entry.name}`}>
            Cancel
          </Button>
        ) : null}
        {entry.status === "failed" || entry.status === "cancelled" ? (
          <Button variant="secondary" size="sm" onClick={() => queue.retry(entry.key)} aria-label={`Retry upload of ${entry.name}`}>
            Retry
          </Button>
        ) : null}
      </div>
      {showBar ? (
        <div className="mt-2">
          <ProgressBar value={entry.status === "hashing" || entry.status === "checking" ? null : entry.sent} max={entry.size || 1} label={`Upload progress of ${entry.name}`} tone={tone} />
        </div>
      ) : null}
      {/* A live region per row: refusal and failure reasons are announced as they appear. */}
      <p aria-live="polite" className={`mt-1 text-sm ${problem ? "text-danger" : "text-slate-600"}`} data-testid="upload-message">
        {entry.status === "done" ? null : entry.message}
      </p>
    </li>
  );
}

export type MediaDropzoneProps = {
  /** After each drop settles: the library items it produced (uploaded or reused). */
  onUploaded?: (items: MediaItem[]) => void;
  /** Smaller drop area for embedding (composer). */
  compact?: boolean;
};

/**
 * Drop or pick files; each is uploaded in chunks through server actions, at most two at a time,
 * with its own progress, status, cancel and retry.
 */
const noSubscription = () => () => {};

export function MediaDropzone({ onUploaded, compact = false }: MediaDropzoneProps) {
  const client = useQueryClient();
  const hintId = useId();
  const onUploadedRef = useRef(onUploaded);
  useEffect(() => {
    onUploadedRef.current = onUploaded;
  }, [onUploaded]);

  const [queue] = useState(() =>
    createUploadQueue({
      api: API,
      concurrency: UPLOAD_CONCURRENCY,
      onItem: (item) => rememberMediaItem(client, item),
      onBatchSettled: (items) => {
        if (items.length === 0) return;
        void refreshMediaLibrary(client);
        onUploadedRef.current?.(items);
      },
    }),
  );
  const entries = useSyncExternalStore(queue.subscribe, queue.getSnapshot, queue.getSnapshot);
  // True once hydrated (false in the server HTML): files chosen before that would go nowhere, so
  // tests wait for data-ready before choosing files.
  const hydrated = useSyncExternalStore(noSubscription, () => true, () => false);

  const { getRootProps, getInputProps, isDragActive } = useDropzone({
    accept: ACCEPT,
    maxSize: MEDIA_MAX_BYTES,
    multiple: true,
    onDrop: (accepted, rejections) => {
      queue.add(
        accepted,
        rejections.map((rejection) => ({ file: rejection.file, message: clientRefusal(rejection) })),
      );
    },
  });

  const finished = entries.some((entry) => entry.status !== "failed" && ["done", "reused", "refused", "cancelled"].includes(entry.status));

  return (
    <div className="space-y-3">
      <div
        {...getRootProps({
          role: "button",
          "aria-label": "Upload files: drop files here, or press Enter to choose files",
          "aria-describedby": hintId,
        })}
        data-testid="media-dropzone"
        data-ready={hydrated ? "true" : undefined}
        className={`flex cursor-pointer flex-col items-center justify-center rounded-lg border-2 border-dashed text-center transition-colors ${
          compact ? "gap-1 px-4 py-4" : "gap-2 px-6 py-10"
        } ${isDragActive ? "border-brand bg-brand-light" : "border-slate-300 bg-white hover:border-brand hover:bg-slate-50"}`}
      >
        {/* The real picker is the focusable drop area; the hidden input would be a second, nameless control. */}
        <input {...getInputProps()} aria-hidden data-testid="media-file-input" />
        <p className={`font-semibold text-slate-800 ${compact ? "text-sm" : ""}`}>
          {isDragActive ? "Drop the files to upload them" : "Drop files here, or click to choose"}
        </p>
        <p id={hintId} className="text-xs text-slate-500">
          Images, audio, video, PDF, office documents or text, up to {MEDIA_MAX_LABEL} each. Identical files already in the library are reused, not uploaded again.
        </p>
      </div>

      {entries.length > 0 ? (
        <section aria-label="Uploads" className="space-y-2">
          <ul className="space-y-2">
            {entries.map((entry) => (
              <UploadRow key={entry.key} entry={entry} queue={queue} />
            ))}
          </ul>
          {finished ? (
            <Button variant="ghost" size="sm" onClick={queue.clearFinished}>
              Clear finished
            </Button>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}
