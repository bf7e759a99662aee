/**
 * The composer's limits as plain numbers. Kept apart from the schemas so client components can show
 * them ("3 of 10 files") without loading zod on first paint.
 */
export const MAX_FILES_PER_MMS = 10;
export const MESSAGE_TEXT_MAX = 2000;
export const MAX_RECIPIENTS_PER_CAMPAIGN = 100_000;
/** ITU-T E.164: at most 15 digits after the "+" (lib/recipients/phone.ts builds its check from this). */
export const E164_MAX_DIGITS = 15;
/**
 * The most bytes the recipient list of one campaign can take as the composer sends it: one E.164
 * number ("+" and up to 15 ASCII digits) per line, MAX_RECIPIENTS_PER_CAMPAIGN lines. The server reads
 * no more than this (lib/compose/request-form.ts); 1.7 MB.
 */
export const RECIPIENT_LIST_MAX_BYTES = MAX_RECIPIENTS_PER_CAMPAIGN * ("+".length + E164_MAX_DIGITS + "\n".length);
