"use client";

import { keepPreviousData, type QueryClient, useQuery } from "@tanstack/react-query";
import { ApiError, fetchJson } from "@/components/ui/fetch-json";
import type { CampaignSummary, RecipientFilter, RecipientResult } from "@/lib/campaign/types";

/** Polling rate while batches go out: fast enough to feel live, light on a 100 000-recipient table. */
export const CAMPAIGN_POLL_MS = 1000;
/**
 * Polling rate while nothing is sent but the record still changes without anyone here acting: the
 * server's delivery checks (30 s apart at the shortest), its own look-up of unclear batches, or a
 * colleague resuming or cancelling a paused campaign. The page only reads the database.
 */
export const CAMPAIGN_SLOW_POLL_MS = 5000;

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

/** Batches are going out, or are on their way after a pause: the numbers move every second. */
export function isCampaignLive(summary: CampaignSummary | undefined): boolean {
  return !!summary && (summary.running || summary.status === "sending" || summary.batches.sending > 0);
}

/**
 * The campaign page's one polling loop (the summary; the table follows it, see recipientsVersion):
 * every second while batches go out, every few seconds while the server may still change the record
 * by itself, not at all once it is settled.
 */
export function summaryPollInterval(summary: CampaignSummary | undefined): number | false {
  if (!summary) return false;
  if (isCampaignLive(summary)) return CAMPAIGN_POLL_MS;
  const changesBySelf = summary.status === "paused" || summary.actions.refresh || summary.batches.unknown > 0;
  return changesBySelf ? CAMPAIGN_SLOW_POLL_MS : false;
}

/**
 * What the per-recipient rows depend on, in one string: when it changes, the table is fetched again
 * (it is part of the table's query key), so the table never polls on its own.
 */
export function recipientsVersion(summary: CampaignSummary): string {
  const { status, batches, recipients, delivery, inconclusive } = summary;
  return JSON.stringify([status, batches, recipients, delivery, inconclusive]);
}

const notRetried = (failureCount: number, error: unknown) =>
  !(error instanceof ApiError && (error.status === 404 || error.status === 403 || error.status === 401)) && failureCount < 2;

export function useCampaignSummary(campaignId: string, initialSummary?: CampaignSummary) {
  return useQuery({
    queryKey: campaignQueryKey(campaignId),
    queryFn: async ({ signal }) =>
      (await fetchJson<{ ok: true; summary: CampaignSummary }>(`/api/campaigns/${encodeURIComponent(campaignId)}`, { signal })).summary,
    initialData: initialSummary,
    refetchInterval: (query) => summaryPollInterval(query.state.data),
    staleTime: 0,
    retry: notRetried,
  });
}

export type RecipientPageParams = { status: RecipientFilter | "all"; page: number; pageSize: number };
export type RecipientPage = { rows: RecipientResult[]; total: number; page: number; pageSize: number };

/** One page of the table as of `version` (recipientsVersion of the latest summary). */
export function useRecipientResults(campaignId: string, params: RecipientPageParams, version: string) {
  return useQuery({
    queryKey: [...campaignQueryKey(campaignId), "recipients", params, version] as const,
    queryFn: async ({ signal }) => {
      const search = new URLSearchParams({ page: String(params.page), pageSize: String(params.pageSize) });
      if (params.status !== "all") search.set("status", params.status);
      const { rows, total, page, pageSize } = await fetchJson<{ ok: true } & RecipientPage>(
        `/api/campaigns/${encodeURIComponent(campaignId)}/recipients?${search}`,
        { signal },
      );
      return { rows, total, page, pageSize };
    },
    // A new page, filter or version keeps the old rows on screen until the new ones arrive.
    placeholderData: keepPreviousData,
    staleTime: 0,
    // Earlier versions are never shown again: no need to keep them around.
    gcTime: 30_000,
    retry: notRetried,
  });
}
