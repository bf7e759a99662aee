import type { QueryClient } from "@tanstack/react-query";
import type { MediaItem } from "@/lib/media/library-types";
import { MEDIA_QUERY_KEY } from "./useMediaLibrary";

/** Shows a new or reused file at once, before the refetch from the gateway confirms it. */
export function rememberMediaItem(client: QueryClient, item: MediaItem): void {
  client.setQueryData<MediaItem[]>(MEDIA_QUERY_KEY, (items) => (items ? [item, ...items.filter((existing) => existing.id !== item.id)] : items));
}

export function forgetMediaItem(client: QueryClient, id: string): void {
  client.setQueryData<MediaItem[]>(MEDIA_QUERY_KEY, (items) => items?.filter((existing) => existing.id !== id));
}

/** The gateway's files/index stays the source of truth: refetch after every change. */
export function refreshMediaLibrary(client: QueryClient): Promise<void> {
  return client.invalidateQueries({ queryKey: MEDIA_QUERY_KEY });
}
