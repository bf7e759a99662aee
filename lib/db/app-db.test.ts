import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openAppDatabase } from "./index";
import { auditLog } from "./app-schema";

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
});
