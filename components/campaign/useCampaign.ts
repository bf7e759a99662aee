"use client";

import { keepPreviousData, type QueryClient, useQuery } from "@tanstack/react-query";
import { ApiError, fetchJson } from "@/components/ui/fetch-json";
import type { CampaignSummary, RecipientFilter, RecipientResult } from "@/lib/campaign/types";

/** Polling rate while a campaign is sending: fast enough to feel live, light on a 100 000-recipient table. */
export const CAMPAIGN_POLL_MS = 1000;

export const campaignQueryKey = (campaignId: string) => ["campaign", campaignId] as const;

/**
 * After an operation changed the recipients: fetch the table again. A fetch already in flight is
 * cancelled first, because invalidation alone hands a query that has no data yet (the table's first
 * load, when an operation follows the page load closely) that in-flight fetch, which may have read
 * the rows before the operation wrote them.
 */
export async function refreshRecipientResults(queryClient: QueryClient, campaignId: string): Promise<void> {
  const queryKey = [...campaignQueryKey(campaignId), "recipients"];
  await queryClient.cancelQueries({ queryKey });
  await queryClient.invalidateQueries({ queryKey });
}

/** Batches are still going out (or about to): keep polling. */
export function isCampaignLive(summary: CampaignSummary | undefined): boolean {
  return !!summary && (summary.running || summary.status === "sending");
}

const notRetried = (failureCount: number, error: unknown) =>
  !(error instanceof ApiError && (error.status === 404 || error.status === 403 || error.status === 401)) && failureCount < 2;

export function useCampaignSummary(campaignId: string, initialSummary?: CampaignSummary) {
  return useQuery({
    queryKey: campaignQueryKey(campaignId),
    queryFn: async ({ signal }) =>
      (await fetchJson<{ ok: true; summary: CampaignSummary }>(`/api/campaigns/${encodeURIComponent(campaignId)}`, { signal })).summary,
    initialData: initialSummary,
    refetchInterval: (query) => (isCampaignLive(query.state.data) ? CAMPAIGN_POLL_MS : false),
    staleTime: 0,
    retry: notRetried,
  });
}

export type RecipientPageParams = { status: RecipientFilter | "all"; page: number; pageSize: number };
export type RecipientPage = { rows: RecipientResult[]; total: number; page: number; pageSize: number };

export function useRecipientResults(campaignId: string, params: RecipientPageParams, live: boolean) {
  return useQuery({
    queryKey: [...campaignQueryKey(campaignId), "recipients", params] as const,
    queryFn: async ({ signal }) => {
      const search = new URLSearchParams({ page: String(params.page), pageSize: String(params.pageSize) });
      if (params.status !== "all") search.set("status", params.status);
      const { rows, total, page, pageSize } = await fetchJson<{ ok: true } & RecipientPage>(
        `/api/campaigns/${encodeURIComponent(campaignId)}/recipients?${search}`,
        { signal },
      );
      return { rows, total, page, pageSize };
    },
    // Changing the page or the filter keeps the old rows on screen until the new ones arrive.
    placeholderData: keepPreviousData,
    refetchInterval: live ? CAMPAIGN_POLL_MS : false,
    staleTime: 0,
    retry: notRetried,
  });
}
