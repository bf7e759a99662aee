"use client";

import { type QueryClient, skipToken, useQuery, useQueryClient } from "@tanstack/react-query";
import type { MediaItem, MediaListResponse } from "@/lib/media/library-types";
import { fetchJson } from "@/components/ui/fetch-json";

export type LibraryKind = "mms" | "voice";

export const MEDIA_QUERY_KEY = ["media", "mms"] as const;

const LIBRARY_URL: Record<LibraryKind, string> = { mms: "/api/media", voice: "/api/media/voice" };

/**
 * How many items of a library's last files/index answer could not be read. It has a key of its own,
 * set by every fetch of the list, because the list's entry stays a plain MediaItem[] that the
 * composer's file picker reads and updates too. (Not under ["media", …]: invalidating the list must
 * not touch it.)
 */
export const unreadableQueryKey = (kind: LibraryKind) => ["media-unreadable", kind] as const;

/** One fetch of a library list; records its unreadable count beside it. */
export async function fetchLibrary(client: QueryClient, kind: LibraryKind, signal: AbortSignal): Promise<MediaItem[]> {
  const page = await fetchJson<MediaListResponse>(LIBRARY_URL[kind], { signal });
  client.setQueryData(unreadableQueryKey(kind), page.unreadable);
  return page.items;
}

/** The MMS library, shared by /media and the composer's file picker (same cache entry). */
export function useMediaLibrary(initialItems?: MediaItem[]) {
  const client = useQueryClient();
  return useQuery({
    queryKey: MEDIA_QUERY_KEY,
    queryFn: ({ signal }) => fetchLibrary(client, "mms", signal),
    initialData: initialItems,
  });
}

/** The unreadable count of a library's last answer: from the server render at first, then from every fetch. */
export function useUnreadableCount(kind: LibraryKind, initial: number | undefined): number {
  const { data } = useQuery({ queryKey: unreadableQueryKey(kind), queryFn: skipToken, initialData: initial, staleTime: Infinity });
  return data ?? 0;
}
