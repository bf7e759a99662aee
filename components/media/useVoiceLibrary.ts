"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import type { MediaItem } from "@/lib/media/library-types";
import { fetchLibrary } from "./useMediaLibrary";

export const VOICE_QUERY_KEY = ["media", "voice"] as const;

/** Voice files (files/index type=voice): read-only here, fetched only once the tab is opened. */
export function useVoiceLibrary(initialItems: MediaItem[] | undefined, enabled: boolean) {
  const client = useQueryClient();
  return useQuery({
    queryKey: VOICE_QUERY_KEY,
    queryFn: ({ signal }) => fetchLibrary(client, "voice", signal),
    initialData: initialItems,
    enabled,
  });
}
