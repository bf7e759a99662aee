/**
 * Real separate Node processes for tests that must prove something holds across instances (their
 * own memory, their own SQLite connections to one shared file). Run like `npm run worker`: tsx with
 * the react-server condition, from the project root.
 *
 * The protocol, so that several processes act at the same instant although each takes seconds to
 * start: the child prints "ready" (awaitGo), waits for one line on stdin, does its work and prints
 * its answer as JSON (answer). raceProcesses sends the line to every child once all are ready.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";

const READY = "ready\n";

/** In the child: says it is ready and resolves when the test says go. */
export function awaitGo(): Promise<void> {
  process.stdout.write(READY);
  return new Promise((resolve) => process.stdin.once("data", () => resolve()));
}

/** In the child: prints its answer and exits (stdin would otherwise keep it alive). */
export function answer(value: unknown): never {
  process.stdout.write(`${JSON.stringify(value)}\n`);
  process.exit(0);
}

export type TestProcess<T> = {
  child: ChildProcessWithoutNullStreams;
  /** Resolves once the child has printed "ready". */
  ready: Promise<void>;
  /** Lets the child do its work. */
  go(): void;
  /** Resolves once the child's output so far contains `text`. */
  printed(text: string): Promise<void>;
  /** The child's answer; rejects with its stderr when it fails or is killed. */
  done: Promise<T>;
};

/** Starts `script` with `args` as a separate Node process speaking the protocol above. */
export function startProcess<T>(script: string, args: string[], timeoutMs = 45_000): TestProcess<T> {
  const child = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", script, ...args], { cwd: process.cwd(), timeout: timeoutMs });
  let out = "";
  let err = "";
  const waiting: { text: string; resolve: () => void }[] = [];
  child.stdout.on("data", (data: Buffer) => {
    out += data.toString();
    for (const w of waiting.filter((w) => out.includes(w.text))) {
      waiting.splice(waiting.indexOf(w), 1);
      w.resolve();
    }
  });
  child.stderr.on("data", (data: Buffer) => (err += data.toString()));
  const printed = (text: string) => (out.includes(text) ? Promise.resolve() : new Promise<void>((resolve) => waiting.push({ text, resolve })));
  const done = new Promise<T>((resolve, reject) =>
    child.on("exit", (code, signal) => {
      const answerLine = out.startsWith(READY) ? out.slice(READY.length).trim().split("\n").at(-1) : undefined;
      if (code === 0 && answerLine) resolve(JSON.parse(answerLine) as T);
      else reject(new Error(`${script} ${args.join(" ")} ended with ${signal ?? code}: ${err.trim() || out.trim()}`));
    }),
  );
  // A test that kills a child on purpose may never await `done`.
  done.catch(() => undefined);
  return { child, ready: printed(READY), go: () => child.stdin.end("go\n"), printed, done };
}

/** Starts one child per argument list of `script`, lets them all go at once, returns their answers in order. */
export async function raceProcesses<T>(script: string, argLists: string[][]): Promise<T[]> {
  const children = argLists.map((args) => startProcess<T>(script, args));
  // A child that fails before it is ready fails the race instead of leaving the others waiting.
  await Promise.race([Promise.all(children.map((c) => c.ready)), Promise.all(children.map((c) => c.done))]);
  for (const c of children) c.go();
  return Promise.all(children.map((c) => c.done));
}
