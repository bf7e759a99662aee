import { randomFillSync } from "node:crypto";

const ID_BYTES = 5;
// One CSPRNG call per 1024 ids: a crypto call per id was the slowest step of a 100 000-recipient send.
const pool = Buffer.alloc(ID_BYTES * 1024);
let poolOffset = pool.length;

/** Gateway ids are 10 lowercase hex characters in every documented example (reference §3.1). */
export function newGatewayId(): string {
  if (poolOffset + ID_BYTES > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const id = pool.toString("hex", poolOffset, poolOffset + ID_BYTES);
  poolOffset += ID_BYTES;
  return id;
}
