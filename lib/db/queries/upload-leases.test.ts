import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openAppDatabase, uploadLeases } from "@/lib/db";
import { tempAppDatabase } from "@/tests/support/app-db";
import { uploadLeaseStore } from "./upload-leases";

let database: ReturnType<typeof tempAppDatabase>;
let other: ReturnType<typeof openAppDatabase>;
beforeEach(() => {
  database = tempAppDatabase();
  other = openAppDatabase(path.join(database.dir, "app.db"));
});
afterEach(() => {
  other.close();
  database.dispose();
});

describe("upload leases", () => {
  it("gives a key to one owner at a time, over connections, until it is released", () => {
    const [a, b] = [uploadLeaseStore(database.db), uploadLeaseStore(other.db)];
    expect(a.acquire("upload:1", "a", 0, 1_000)).toBe(true);
    expect(b.acquire("upload:1", "b", 10, 1_000)).toBe(false);
    expect(b.isHeld("upload:1", 10)).toBe(true);
    expect(b.acquire("upload:2", "b", 10, 1_000)).toBe(true);
    // Only its owner releases a lease.
    b.release("upload:1", "b");
    expect(a.isHeld("upload:1", 20)).toBe(true);
    a.release("upload:1", "a");
    expect(b.isHeld("upload:1", 20)).toBe(false);
    expect(b.acquire("upload:1", "b", 20, 1_000)).toBe(true);
  });

  it("ends a lease nobody renews; its owner may take it back only while nobody else has", () => {
    const [a, b] = [uploadLeaseStore(database.db), uploadLeaseStore(other.db)];
    a.acquire("upload:1", "a", 0, 1_000);
    expect(a.renew("upload:1", "a", 900, 1_000)).toBe(true);
    expect(b.acquire("upload:1", "b", 1_500, 1_000)).toBe(false);
    expect(b.isHeld("upload:1", 1_900)).toBe(false);
    // Ran out (a stalled), but nobody took it: a's renewal takes it back.
    expect(a.renew("upload:1", "a", 2_000, 1_000)).toBe(true);
    expect(b.acquire("upload:1", "b", 2_500, 1_000)).toBe(false);
    // Ran out again and b took it: a's renewal fails and a's release leaves b's lease alone.
    expect(b.acquire("upload:1", "b", 3_000, 1_000)).toBe(true);
    expect(a.renew("upload:1", "a", 3_100, 1_000)).toBe(false);
    a.release("upload:1", "a");
    expect(b.isHeld("upload:1", 3_100)).toBe(true);
    expect(b.renew("upload:1", "b", 3_500, 1_000)).toBe(true);
  });

  it("lets its owner renew a lease whose expired row another acquire pruned", () => {
    const [a, b] = [uploadLeaseStore(database.db), uploadLeaseStore(other.db)];
    a.acquire("upload:1", "a", 0, 1_000);
    b.acquire("upload:2", "b", 1_500, 1_000);
    expect(a.isHeld("upload:1", 1_500)).toBe(false);
    expect(a.renew("upload:1", "a", 1_600, 1_000)).toBe(true);
    expect(b.acquire("upload:1", "b", 1_700, 1_000)).toBe(false);
  });

  it("prunes leases that ran out as it goes, so crashed holders leave no rows behind", () => {
    const store = uploadLeaseStore(database.db);
    for (let i = 0; i < 50; i++) store.acquire(`upload:${i}`, "crashed", 0, 1_000);
    store.acquire("sha:x", "alive", 5_000, 1_000);
    expect(database.db.select().from(uploadLeases).all()).toEqual([{ key: "sha:x", owner: "alive", expiresAt: 6_000 }]);
  });
});
