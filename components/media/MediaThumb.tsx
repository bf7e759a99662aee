import type { MediaItem } from "@/lib/media/library-types";
import { KIND_LABELS, TypeIcon } from "./TypeIcon";

/**
 * Preview of a library file. "md" fills a card's preview area (native players for audio/video,
 * first lines of text); "sm" (48 px) and "xs" (40 px) are squares for pickers, lists and the
 * composer's phone preview (thumbnail or type icon).
 *
 * Uploaded bytes are only ever shown through <img>, <audio>, <video> or as text React escapes:
 * SVG in particular is never inlined into the page, where its scripts would run.
 */
const SQUARE = { xs: { box: "h-10 w-10", icon: "h-5 w-5" }, sm: { box: "h-12 w-12", icon: "h-6 w-6" } } as const;

export function MediaThumb({ item, size = "md" }: { item: MediaItem; size?: "xs" | "sm" | "md" }) {
  const imageUrl = item.preview === "image" ? item.thumbnailUrl : item.preview === "svg" ? item.fileUrl : null;
  const kindLabel = item.kind ? KIND_LABELS[item.kind] : "Unknown type";

  if (size !== "md") {
    return (
      <span className={`flex ${SQUARE[size].box} shrink-0 items-center justify-center overflow-hidden rounded-md bg-slate-100 text-slate-500`}>
        {imageUrl ? (
          <img src={imageUrl} alt={`Preview of ${item.name}`} loading="lazy" decoding="async" className="h-full w-full object-cover" />
        ) : (
          <>
            <TypeIcon kind={item.kind} className={SQUARE[size].icon} />
            <span className="sr-only">{item.hasCopy ? kindLabel : `${kindLabel}, no preview`}</span>
          </>
        )}
      </span>
    );
  }

  if (imageUrl) {
    return (
      <img src={imageUrl} alt={`Preview of ${item.name}`} loading="lazy" decoding="async" className="max-h-full max-w-full object-contain" />
    );
  }
  if (item.preview === "audio" && item.fileUrl) {
    return (
      <div className="flex w-full flex-col items-center gap-2 px-3 text-slate-500">
        <TypeIcon kind="audio" className="h-10 w-10" />
        {/* preload="none": a grid of players must not download every file just to show it. */}
        <audio controls preload="none" src={item.fileUrl} aria-label={`Play ${item.name}`} className="h-9 w-full" />
      </div>
    );
  }
  if (item.preview === "video" && item.fileUrl) {
    return <video controls preload="none" src={item.fileUrl} aria-label={`Play ${item.name}`} className="h-full w-full bg-slate-900" />;
  }
  if (item.preview === "text" && item.textSnippet !== null) {
    return (
      <pre
        aria-label={`First lines of ${item.name}`}
        className="h-full w-full overflow-hidden whitespace-pre-wrap break-words bg-white p-3 text-left font-mono text-[11px] leading-snug text-slate-700"
      >
        {item.textSnippet}
      </pre>
    );
  }
  return (
    <div className="flex flex-col items-center gap-1 text-slate-500">
      <TypeIcon kind={item.kind} className="h-10 w-10" />
      <span className="text-xs">{item.hasCopy ? kindLabel : "No preview"}</span>
    </div>
  );
}
