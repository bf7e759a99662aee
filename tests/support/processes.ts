/**
 * Real separate Node processes for tests that must prove something holds across instances (their
 * own memory, their own SQLite connections to one shared file). Run like `npm run worker`: tsx with
 * the react-server condition, from the project root.
 *
 * The protocol, so that several processes act at the same instant although each takes seconds to
 * start: the child prints "ready" (awaitGo), waits for one line on stdin, does its work and prints
 * its answer as JSON (answer). raceProcesses sends the line to every child once all are ready.
 */
import { spawn } from "node:child_process";

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

/** Starts one child per argument list of `script`, lets them all go at once, returns their answers in order. */
export async function raceProcesses<T>(script: string, argLists: string[][], timeoutMs = 45_000): Promise<T[]> {
  const children = argLists.map((args) => {
    const child = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", script, ...args], { cwd: process.cwd(), timeout: timeoutMs });
    let out = "";
    let err = "";
    let signalReady!: () => void;
    const ready = new Promise<void>((resolve) => (signalReady = resolve));
    child.stdout.on("data", (data: Buffer) => {
      out += data.toString();
      if (out.startsWith(READY)) signalReady();
    });
    child.stderr.on("data", (data: Buffer) => (err += data.toString()));
    const done = new Promise<T>((resolve, reject) =>
      child.on("exit", (code, signal) =>
        code === 0 && out.startsWith(READY)
          ? resolve(JSON.parse(out.slice(READY.length)) as T)
          : reject(new Error(`${script} ${args.join(" ")} ended with ${signal ?? code}: ${err.trim() || out.trim()}`)),
      ),
    );
    return { child, ready, done };
  });
  // A child that fails before it is ready fails the race instead of leaving the others waiting.
  await Promise.race([Promise.all(children.map((c) => c.ready)), Promise.all(children.map((c) => c.done))]);
  for (const { child } of children) child.stdin.end("go\n");
  return Promise.all(children.map((c) => c.done));
}
