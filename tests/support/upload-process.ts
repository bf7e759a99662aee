/**
 * One "instance" of the app for lib/media/upload-sessions.test.ts (a real process,
 * tests/support/processes.ts): its own connection to the shared database and its own upload
 * sessions over the shared upload folder, with the locks the app uses (database leases).
 *
 *   tests/support/upload-process.ts <db> <uploadsDir> <mode> <uploadId> <ownerId> <leaseMs>
 *
 * finish: once told to go, finishes the upload, its processing taking 200 ms; answers
 *         {processed: true} or {refused: <UploadSessionError code>}.
 * hold:   once told to go, starts finishing the upload and prints "holding" while it holds the
 *         lock, then never lets go: the test kills the process there, as a crash would.
 */
import { openAppDatabase } from "@/lib/db";
import { uploadLeaseStore } from "@/lib/db/queries/upload-leases";
import { createKeyedLocks, createUploadSessions, UploadSessionError } from "@/lib/media/upload-sessions";
import { answer, awaitGo } from "./processes";

const [file, dir, mode, uploadId, ownerId, leaseMs] = process.argv.slice(2);
if (!file || !dir || !uploadId || !ownerId || !leaseMs || (mode !== "finish" && mode !== "hold")) {
  throw new Error("usage: <db> <uploadsDir> finish|hold <uploadId> <ownerId> <leaseMs>");
}

const handle = openAppDatabase(file);
const sessions = createUploadSessions({ dir, chunkSize: 10, maxBytes: 100, locks: createKeyedLocks({ leases: uploadLeaseStore(handle.db), leaseMs: Number(leaseMs), pollMs: 5 }) });
const owner = { uploadId, ownerId: Number(ownerId) };
await awaitGo();

if (mode === "hold") {
  // Alive until killed: the lease's renewal timer is unref'd (it never keeps a process up by itself).
  setInterval(() => {}, 60_000);
  await sessions.finish(owner, () => {
    process.stdout.write("holding\n");
    return new Promise<never>(() => {});
  });
} else {
  try {
    await sessions.finish(owner, () => new Promise((resolve) => setTimeout(resolve, 200)));
    answer({ processed: true });
  } catch (error) {
    if (error instanceof UploadSessionError) answer({ refused: error.code });
    throw error;
  }
}
