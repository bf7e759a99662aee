import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openAppDatabase } from "@/lib/db";

/** A migrated app database in a temp dir, removed by `dispose()`. */
export function tempAppDatabase() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mms-app-"));
  const handle = openAppDatabase(path.join(dir, "app.db"));
  return {
    ...handle,
    dir,
    dispose() {
      handle.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
