import { buttonClass } from "@/components/ui/Button";
import { formatBytes, formatWarsawDateTime } from "@/lib/format/units";
import type { MediaItem } from "@/lib/media/library-types";
import { parseGatewayTimestamp } from "@/lib/time/warsaw";

import { MediaThumb } from "./MediaThumb";

/** Card height is fixed so the virtualised grid can place rows without measuring them. */
export const MEDIA_CARD_HEIGHT = 280;

/** Null when the gateway's answer gave no date. */
function uploadedLabel(uploadedAt: string | null): { text: string; iso: string | undefined } | null {
  if (uploadedAt === null) return null;
  const instant = parseGatewayTimestamp(uploadedAt);
  return instant ? { text: formatWarsawDateTime(instant), iso: instant.toISOString() } : { text: uploadedAt, iso: undefined };
}

export function MediaCard({
  item,
  position,
  total,
  onDelete,
}: {
  item: MediaItem;
  position: number;
  total: number;
  /** Present for admins only. */
  onDelete?: (item: MediaItem) => void;
}) {
  const uploaded = uploadedLabel(item.uploadedAt);
  return (
    <article
      role="listitem"
      aria-posinset={position}
      aria-setsize={total}
      aria-label={item.name}
      data-testid="media-card"
      className="flex flex-col overflow-hidden rounded-lg border border-slate-200 bg-white shadow-sm"
      style={{ height: MEDIA_CARD_HEIGHT }}
    >
      <div className="flex h-36 shrink-0 items-center justify-center overflow-hidden bg-slate-100">
        <MediaThumb item={item} size="md" />
      </div>
      <div className="flex min-h-0 flex-1 flex-col gap-0.5 p-3">
        <h3 className="truncate text-sm font-semibold text-slate-900" title={item.name}>
          {item.name}
        </h3>
        <p className="truncate text-xs text-slate-600">
          <span className="font-mono">{item.contentType ?? "unknown type"}</span> · {formatBytes(item.size)}
        </p>
        <p className="text-xs text-slate-500">
          {uploaded ? (
            <>
              Uploaded <time dateTime={uploaded.iso}>{uploaded.text}</time>
            </>
          ) : (
            "Upload date unknown"
          )}
        </p>
        <div className="mt-auto flex items-center gap-2 pt-2">
          {item.fileUrl ? (
            <>
              <a href={item.fileUrl} target="_blank" rel="noopener noreferrer" className={buttonClass("secondary", "sm")} aria-label={`Open ${item.name} in a new tab`}>
                Open
              </a>
              <a href={`${item.fileUrl}?download=1`} download={item.name} className={buttonClass("ghost", "sm")} aria-label={`Download ${item.name}`}>
                Download
              </a>
            </>
          ) : (
            <span className="text-xs text-slate-500" title="Added in the SerwerSMS panel or by a gateway that gives no bytes back">No copy kept here</span>
          )}
          {onDelete ? (
            <button
              type="button"
              onClick={() => onDelete(item)}
              className="ml-auto inline-flex items-center rounded-md px-2.5 py-1 text-sm font-semibold text-danger transition-colors hover:bg-danger-light"
              aria-label={`Delete ${item.name}`}
            >
              Delete
            </button>
          ) : null}
        </div>
      </div>
    </article>
  );
}
