import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openAppDatabase } from "./index";
import { auditLog } from "./app-schema";
import * as appSchema from "./app-schema";
import { raceProcesses } from "@/tests/support/processes";
import { migrationsFolder, openSqlite } from "./connection";

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function tempDbPath() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mms-appdb-"));
  dirs.push(dir);
  return path.join(dir, "nested", "app.db");
}

describe("app database", () => {
  it("creates the file, applies migrations, and re-opens idempotently", () => {
    const file = tempDbPath();
    const first = openAppDatabase(file);
    const tables = first.sqlite.prepare("select name from sqlite_master where type='table' order by name").all() as { name: string }[];
    expect(tables.map((t) => t.name)).toEqual(
      expect.arrayContaining(["users", "sessions", "audit_log", "media_files", "campaigns", "campaign_batches", "campaign_recipients"]),
    );
    first.close();
    const again = openAppDatabase(file);
    expect(again.sqlite.pragma("journal_mode", { simple: true })).toBe("wal");
    again.close();
  });

  it("keeps the audit log append-only", () => {
    const handle = openAppDatabase(tempDbPath());
    handle.db.insert(auditLog).values({ at: Date.now(), actor: "a@example.com", action: "sign_in" }).run();
    expect(() => handle.sqlite.prepare("update audit_log set actor = 'x'").run()).toThrow(/append-only/);
    expect(() => handle.sqlite.prepare("delete from audit_log").run()).toThrow(/append-only/);
    handle.close();
  });

  it("migration 0004 counts the recipients of campaigns stored before it, then keeps the counts exact", () => {
    // The database as it was before 0004: the same migrations folder with the journal cut after 0003.
    const oldFolder = fs.mkdtempSync(path.join(os.tmpdir(), "mms-migrations-"));
    dirs.push(oldFolder);
    fs.cpSync(migrationsFolder("app"), oldFolder, { recursive: true });
    const journalPath = path.join(oldFolder, "meta", "_journal.json");
    const journal = JSON.parse(fs.readFileSync(journalPath, "utf8")) as { entries: { tag: string }[] };
    const upTo = journal.entries.findIndex((entry) => entry.tag.startsWith("0003_"));
    fs.writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, upTo + 1) }));

    const file = tempDbPath();
    const old = openSqlite(file, appSchema, oldFolder);
    const campaign = old.sqlite.prepare(
      "insert into campaigns (id, idempotency_key, created_by_email, created_at, updated_at, title, file_ids, test, status, batch_size, concurrency, recipient_count, batch_count) values (?, ?, 'a@example.com', 1, 1, 'Old', '[]', 0, 'partial', 200, 4, 7, 1)",
    );
    const recipient = old.sqlite.prepare("insert into campaign_recipients (campaign_id, position, batch_seq, phone, status) values (?, ?, 0, ?, ?)");
    const statuses = ["queued", "queued", "unsent", "failed", "unknown", "pending", "cancelled"];
    for (const id of ["c1", "c2"]) {
      campaign.run(id, `key-${id}`);
      statuses.forEach((status, position) => recipient.run(id, position, `+4850060070${position}`, status));
    }
    old.close();

    const upgraded = openAppDatabase(file);
    const real = () => upgraded.sqlite.prepare("select campaign_id, status, count(*) as n from campaign_recipients group by 1, 2 order by 1, 2").all();
    const kept = () => upgraded.sqlite.prepare("select campaign_id, status, n from campaign_status_counts where n <> 0 order by 1, 2").all();
    expect(kept()).toEqual(real());
    expect(kept()).toContainEqual({ campaign_id: "c1", status: "queued", n: 2 });
    upgraded.sqlite.prepare("update campaign_recipients set status = 'queued' where campaign_id = 'c1' and status in ('pending', 'unknown')").run();
    upgraded.sqlite.prepare("delete from campaigns where id = 'c2'").run();
    expect(kept()).toEqual(real());
    expect(kept()).toContainEqual({ campaign_id: "c1", status: "queued", n: 4 });
    upgraded.close();
  });

  it("several processes starting together on a fresh database apply each migration once", async () => {
    const file = tempDbPath();
    const journal = JSON.parse(fs.readFileSync(path.join(migrationsFolder("app"), "meta", "_journal.json"), "utf8")) as { entries: unknown[] };
    const answers = await raceProcesses<{ migrations: number }>("tests/support/migrate-process.ts", [[file], [file], [file], [file]]);
    expect(answers).toEqual(Array(4).fill({ migrations: journal.entries.length }));
  }, 60_000);
});
