"use client";

import { useQuery } from "@tanstack/react-query";
import type { MediaItem, MediaListResponse } from "@/lib/media/library-types";
import { fetchJson } from "@/components/ui/fetch-json";

export const VOICE_QUERY_KEY = ["media", "voice"] as const;

/** Voice files (files/index type=voice): read-only here, fetched only once the tab is opened. */
export function useVoiceLibrary(initialItems: MediaItem[] | undefined, enabled: boolean) {
  return useQuery({
    queryKey: VOICE_QUERY_KEY,
    queryFn: async ({ signal }) => (await fetchJson<MediaListResponse>("/api/media/voice", { signal })).items,
    initialData: initialItems,
    enabled,
  });
}
