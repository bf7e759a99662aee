import { campaignStatusBadge, TONE_CLASS } from "@/components/campaign/labels";
import type { CampaignStatus } from "@/lib/campaign/types";

/** The campaign's state in words, as on the campaign page; a test preview is always labelled as such. */
export function CampaignStatusBadge({ status, test }: { status: CampaignStatus; test: boolean }) {
  const badge = campaignStatusBadge({ displayStatus: status, test });
  return <span className={`inline-block rounded-full px-2.5 py-0.5 text-xs font-semibold ${TONE_CLASS[badge.tone]}`}>{badge.label}</span>;
}
