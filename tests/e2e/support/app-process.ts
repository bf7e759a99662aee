import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import { spawnNextStart, waitUntilServing } from "@/tests/support/next-start";

/**
 * A `next start` of the built app in its own process group, so a test can kill it the hard way
 * (SIGKILL: no shutdown hooks, exactly like a crash) and start it again on the same data.
 */
export class AppProcess {
  private child: ChildProcess | null = null;
  readonly log: string[] = [];

  constructor(
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {}

  get baseURL(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.child = spawnNextStart({ port: this.port, env: this.env, stdio: ["ignore", "pipe", "pipe"] });
    this.child.stdout?.on("data", (chunk) => this.log.push(String(chunk)));
    this.child.stderr?.on("data", (chunk) => this.log.push(String(chunk)));
    try {
      await waitUntilServing(this.child, this.baseURL, 60_000);
    } catch (error) {
      throw new Error(`${(error as Error).message}:\n${this.log.join("")}`);
    }
  }

  /** SIGKILL to the whole process group: the server gets no chance to finish anything. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child?.pid) return;
    // Already gone (a start-up that was meant to fail, or a crash): nothing to kill.
    if (child.exitCode !== null || child.signalCode !== null) {
      this.child = null;
      return;
    }
    const exited = new Promise((resolve) => child.once("exit", resolve));
    process.kill(-child.pid, "SIGKILL");
    await exited;
    this.child = null;
  }

  static freshDataDir(dir: string): string {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    return dir;
  }
}
