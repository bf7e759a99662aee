import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { makeTempDir } from "@/tests/support/sandbox";
import { SANDBOX_MIGRATIONS_FOLDER, SandboxStore } from "./store";

/*
 * What ledgers created before the schema moved to lib/sandbox (issue 12 item 6) hold in drizzle's
 * bookkeeping table: the journal time ("when") of 0000_initial and the SHA-256 of its SQL, as
 * lib/db/migrations/sandbox had them. drizzle applies every migration whose journal time is newer than
 * the last recorded one (drizzle-orm sqlite-core dialect.js migrate()), so these must never change.
 */
const INITIAL_MIGRATION = {
  tag: "0000_initial",
  when: 1795590593131,
  sha256: "69513406f40b8e1f76b06371b89924f18efc0bf5ce5d4ebb91e962f69e196d49",
};

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A ledger as the code before the move left it: tables, one stored file, drizzle's record of 0000. */
function ledgerFromBeforeTheMove(dbPath: string): void {
  const sqlText = fs.readFileSync(path.join(SANDBOX_MIGRATIONS_FOLDER, `${INITIAL_MIGRATION.tag}.sql`), "utf8");
  const db = new Database(dbPath);
  for (const statement of sqlText.split("--> statement-breakpoint")) db.exec(statement);
  db.exec(`CREATE TABLE "__drizzle_migrations" (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)`);
  db.prepare(`INSERT INTO "__drizzle_migrations" ("hash", "created_at") VALUES (?, ?)`).run(INITIAL_MIGRATION.sha256, INITIAL_MIGRATION.when);
  db.prepare(`INSERT INTO sandbox_state (id, mms_credit, send_mms_calls) VALUES (1, 77, 5)`).run();
  db.prepare(`INSERT INTO sandbox_files (id, type, name, size, content_type, sha256, created_at) VALUES ('0123456789', 'mms', 'old.png', 3, 'image/png', 'x', 1)`).run();
  db.close();
}

describe("the sandbox ledger after its schema moved under lib/sandbox", () => {
  it("keeps the moved migration byte for byte and at the same journal time", () => {
    const sqlText = fs.readFileSync(path.join(SANDBOX_MIGRATIONS_FOLDER, `${INITIAL_MIGRATION.tag}.sql`));
    expect(createHash("sha256").update(sqlText).digest("hex")).toBe(INITIAL_MIGRATION.sha256);
    const journal = JSON.parse(fs.readFileSync(path.join(SANDBOX_MIGRATIONS_FOLDER, "meta", "_journal.json"), "utf8")) as {
      entries: { tag: string; when: number }[];
    };
    expect(journal.entries[0]).toMatchObject({ tag: INITIAL_MIGRATION.tag, when: INITIAL_MIGRATION.when });
  });

  it("opens a ledger created before the move without migrating it again, and keeps its data", () => {
    const dir = makeTempDir("sandbox-old-ledger-");
    dirs.push(dir);
    const dbPath = path.join(dir, "gateway.db");
    ledgerFromBeforeTheMove(dbPath);

    const store = new SandboxStore(dbPath, 1_000_000);
    try {
      expect(store.getFile("0123456789")).toMatchObject({ name: "old.png", type: "mms" });
      expect(store.counters()).toMatchObject({ mmsCredit: 77, sendMmsCalls: 5 });
    } finally {
      store.close();
    }
    const db = new Database(dbPath, { readonly: true });
    expect(db.prepare(`SELECT hash, created_at AS createdAt FROM "__drizzle_migrations"`).all()).toEqual([
      { hash: INITIAL_MIGRATION.sha256, createdAt: INITIAL_MIGRATION.when },
    ]);
    db.close();
  });
});
