/**
 * The composer's limits as plain numbers. Kept apart from the schemas so client components can show
 * them ("3 of 10 files") without loading zod on first paint.
 */
export const MAX_FILES_PER_MMS = 10;
export const MESSAGE_TEXT_MAX = 2000;
export const MAX_RECIPIENTS_PER_CAMPAIGN = 100_000;
