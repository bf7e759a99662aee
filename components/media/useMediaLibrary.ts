"use client";

import { useQuery } from "@tanstack/react-query";
import type { MediaItem, MediaListResponse } from "@/lib/media/library-types";
import { fetchJson } from "@/components/ui/fetch-json";

export const MEDIA_QUERY_KEY = ["media", "mms"] as const;

/** The MMS library, shared by /media and the composer's file picker (same cache entry). */
export function useMediaLibrary(initialItems?: MediaItem[]) {
  return useQuery({
    queryKey: MEDIA_QUERY_KEY,
    queryFn: async ({ signal }) => (await fetchJson<MediaListResponse>("/api/media", { signal })).items,
    initialData: initialItems,
  });
}
