import { eq } from "drizzle-orm";
import type { UploadEncoding, UploadEncodingMemory } from "@/lib/serwersms/upload";
import { appSettings } from "../app-schema";
import type { AppDatabase } from "../index";

/** A learned setting (app_settings, migration 0006): JSON under a key, or undefined when never stored. */
export function readSetting(db: AppDatabase, key: string): unknown {
  return db.select({ value: appSettings.value }).from(appSettings).where(eq(appSettings.key, key)).get()?.value;
}

export function writeSetting(db: AppDatabase, key: string, value: unknown, now = Date.now()): void {
  db.insert(appSettings).values({ key, value, updatedAt: now }).onConflictDoUpdate({ target: appSettings.key, set: { value, updatedAt: now } }).run();
}

/** One key per gateway URL: another gateway (or the sandbox after switching) learns on its own. */
const uploadEncodingKey = (baseUrl: string) => `upload-encoding:${baseUrl}`;

/** The upload encoding "auto" learned per gateway, kept across restarts (issue 12 item 1). */
export function appSettingsUploadEncodingMemory(db: AppDatabase): UploadEncodingMemory {
  return {
    recall(baseUrl) {
      const value = readSetting(db, uploadEncodingKey(baseUrl));
      return value === "base64" || value === "multipart" ? (value satisfies UploadEncoding) : null;
    },
    remember(baseUrl, encoding) {
      writeSetting(db, uploadEncodingKey(baseUrl), encoding);
    },
  };
}
