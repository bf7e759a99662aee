import type { MediaItem } from "@/lib/media/library-types";

const KIND_LABEL: Record<NonNullable<MediaItem["kind"]>, string> = {
  image: "Image",
  audio: "Audio",
  video: "Video",
  text: "Text",
  document: "Document",
};

function extensionOf(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot > 0 && dot < name.length - 1 ? name.slice(dot + 1, dot + 6).toUpperCase() : "FILE";
}

/** A thumbnail when we hold the image, otherwise a type badge; decorative, the file name is always beside it. */
export function MediaThumb({ item, className = "h-12 w-12" }: { item: Pick<MediaItem, "name" | "kind" | "preview" | "thumbnailUrl" | "fileUrl">; className?: string }) {
  const src = item.thumbnailUrl ?? (item.preview === "svg" ? item.fileUrl : null);
  if (src) {
    return <img src={src} alt="" loading="lazy" className={`${className} shrink-0 rounded object-cover bg-slate-100`} />;
  }
  return (
    <span
      aria-hidden="true"
      title={item.kind ? KIND_LABEL[item.kind] : undefined}
      className={`${className} flex shrink-0 flex-col items-center justify-center rounded bg-slate-200 text-[10px] font-bold leading-tight text-slate-600`}
    >
      <span>{extensionOf(item.name)}</span>
      {item.kind ? <span className="font-normal">{KIND_LABEL[item.kind]}</span> : null}
    </span>
  );
}
