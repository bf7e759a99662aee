import type { MediaKind } from "@/lib/media/library-types";

const PATHS: Record<MediaKind | "unknown", string> = {
  image: "M4 5h16v14H4z M4 16l4.5-5 3.5 4 2.5-3L20 17 M15.5 8.5a1.5 1.5 0 1 0 0 .01",
  audio: "M9 18V6l11-2v12 M9 18a3 3 0 1 1-6 0 3 3 0 0 1 6 0z M20 16a3 3 0 1 1-6 0 3 3 0 0 1 6 0z",
  video: "M3 6h13v12H3z M16 10l5-3v10l-5-3",
  text: "M6 3h9l4 4v14H6z M14 3v5h5 M9 12h7 M9 15h7 M9 18h4",
  document: "M6 3h9l4 4v14H6z M14 3v5h5 M9 13h7 M9 17h7",
  unknown: "M6 3h9l4 4v14H6z M14 3v5h5 M10.5 12a2 2 0 1 1 2.5 1.9c-.6.2-1 .7-1 1.3v.3 M12 18.5v.01",
};

/** Decorative outline icon for a media kind; the text next to it carries the meaning. */
export function TypeIcon({ kind, className = "h-8 w-8" }: { kind: MediaKind | null; className?: string }) {
  return (
    <svg
      aria-hidden
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.6}
      strokeLinecap="round"
      strokeLinejoin="round"
      className={className}
    >
      <path d={PATHS[kind ?? "unknown"]} />
    </svg>
  );
}

export const KIND_LABELS: Record<MediaKind, string> = {
  image: "Image",
  audio: "Audio",
  video: "Video",
  text: "Text",
  document: "Document",
};
