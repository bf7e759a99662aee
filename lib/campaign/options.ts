import { z } from "zod";
import { BATCH_SIZE_DEFAULT, BATCH_SIZE_MAX, BATCH_SIZE_MIN } from "./lifecycle";

export const CONCURRENCY_DEFAULT = 4;
export const CONCURRENCY_MAX = 8;

/** How a campaign is split and paced. Defaults follow the gateway's advice (50–200 numbers per request). */
export const SendOptionsSchema = z.object({
  batchSize: z
    .number({ error: "Batch size must be a number" })
    .int()
    .min(BATCH_SIZE_MIN, `Batch size must be ${BATCH_SIZE_MIN}–${BATCH_SIZE_MAX} numbers per request (gateway advice).`)
    .max(BATCH_SIZE_MAX, `Batch size must be ${BATCH_SIZE_MIN}–${BATCH_SIZE_MAX} numbers per request (gateway advice).`)
    .default(BATCH_SIZE_DEFAULT),
  concurrency: z
    .number({ error: "Parallel requests must be a number" })
    .int()
    .min(1, `Parallel requests must be 1–${CONCURRENCY_MAX}.`)
    .max(CONCURRENCY_MAX, `Parallel requests must be 1–${CONCURRENCY_MAX}.`)
    .default(CONCURRENCY_DEFAULT),
});
export type SendOptions = z.output<typeof SendOptionsSchema>;
