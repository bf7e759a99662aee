import { memo } from "react";
import { canonicalTitle } from "@/lib/compose/title";
import type { MediaItem } from "@/lib/media/library-types";
import { MediaThumb } from "@/components/media/MediaThumb";

function Attachment({ item }: { item: MediaItem }) {
  if ((item.preview === "image" || item.preview === "svg") && (item.thumbnailUrl || item.fileUrl)) {
    // The thumbnail is light and large enough for a phone-width picture; the SVG has none.
    return <img src={item.thumbnailUrl ?? item.fileUrl ?? ""} alt={item.name} className="w-full rounded-lg bg-white" />;
  }
  if (item.preview === "audio" && item.fileUrl) {
    return (
      <figure className="rounded-lg bg-white p-2">
        <audio controls preload="none" src={item.fileUrl} className="w-full" aria-label={item.name} />
        <figcaption className="mt-1 truncate text-xs text-slate-600">{item.name}</figcaption>
      </figure>
    );
  }
  if (item.preview === "video" && item.fileUrl) {
    return <video controls preload="metadata" src={item.fileUrl} className="w-full rounded-lg bg-black" aria-label={item.name} />;
  }
  if (item.preview === "text" && item.textSnippet) {
    return (
      <figure className="rounded-lg bg-white p-2 text-xs">
        <pre className="max-h-32 overflow-hidden whitespace-pre-wrap font-sans">{item.textSnippet}</pre>
        <figcaption className="mt-1 truncate text-slate-500">{item.name}</figcaption>
      </figure>
    );
  }
  return (
    <div className="flex items-center gap-2 rounded-lg bg-white p-2">
      <MediaThumb item={item} size="xs" />
      <span className="min-w-0 truncate text-xs">{item.name}</span>
    </div>
  );
}

/** Roughly what a recipient's phone shows: the title, the files in order, then the text attachment. */
export const PhonePreview = memo(function PhonePreview({
  title,
  files,
  missingFiles,
  text,
}: {
  title: string;
  files: MediaItem[];
  /** Chosen files the library does not list (deleted, or still loading). */
  missingFiles: number;
  text: string;
}) {
  const shownTitle = canonicalTitle(title);
  const body = text.trim();
  return (
    <figure aria-labelledby="phone-preview-caption" className="mx-auto w-64">
      <figcaption id="phone-preview-caption" className="mb-2 text-center text-sm font-semibold">
        Phone preview
      </figcaption>
      <div className="rounded-[2.25rem] border-[10px] border-slate-800 bg-slate-800 shadow-lg">
        <div className="mx-auto mb-1 h-1.5 w-16 rounded-full bg-slate-600" aria-hidden="true" />
        <div className="h-[30rem] overflow-y-auto rounded-[1.5rem] bg-slate-100 p-3" data-testid="phone-preview">
          <p className="text-center text-[11px] uppercase tracking-wide text-slate-500">MMS</p>
          <p className={`mt-1 break-words text-sm font-semibold ${shownTitle ? "" : "italic text-slate-400"}`}>{shownTitle || "No title yet"}</p>
          <div className="mt-2 space-y-2">
            {files.map((item) => (
              <Attachment key={item.id} item={item} />
            ))}
            {missingFiles > 0 ? <p className="text-xs text-slate-500">+ {missingFiles} file(s) not shown</p> : null}
            {files.length === 0 && missingFiles === 0 ? <p className="text-xs italic text-slate-400">No files chosen</p> : null}
            {body ? <p className="whitespace-pre-wrap break-words rounded-2xl rounded-tl-sm bg-white p-3 text-sm shadow-sm">{body}</p> : null}
          </div>
        </div>
      </div>
    </figure>
  );
});
