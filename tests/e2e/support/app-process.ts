import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import { expect, type Page } from "@playwright/test";
import { recordedRecipients } from "./campaign";
import type { SandboxServer } from "@/lib/sandbox/server";
import { spawnNextStart, waitUntilServing } from "@/tests/support/next-start";

/**
 * The settings of an AppProcess on the embedded sandbox: the gateway settings the test run may carry
 * (the build's canary token, a live URL) emptied, so the app serves and calls its own sandbox.
 */
export const EMBEDDED_SANDBOX_ENV = { SERWERSMS_TOKEN: "", SERWERSMS_USERNAME: "", SERWERSMS_PASSWORD: "", SERWERSMS_API_URL: "" } as const;

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

/*
 * What the tests that run the app in processes of their own (crash-recovery, two-processes) share:
 * signing in to such a process, starting a campaign through its API, and holding the campaign's
 * record against the gateway's ledger.
 */

/** Signs in through the form, as staff do; the session cookie then serves page.request too. */
export async function signInTo(page: Page, admin: { email: string; password: string }): Promise<void> {
  await page.goto("/signin");
  await page.getByLabel("E-mail").fill(admin.email);
  await page.getByLabel("Password").fill(admin.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("gateway-mode")).toContainText("SerwerSMS live");
}

/** A file in the gateway's MMS library (as if uploaded in the SerwerSMS panel); answers its id. */
export async function addGatewayFile(gateway: SandboxServer, token: string, name: string): Promise<string> {
  const png = fs.readFileSync("tests/fixtures/media/banner.png");
  const added = await fetch(`${gateway.baseUrl}files/add`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ type: "mms", file: png.toString("base64"), name }),
  });
  return ((await added.json()) as { id: string }).id;
}

/**
 * The gateway's ledger of one campaign against the list it was given and the campaign's record:
 * who is missing, who was sent more than once, and whether every recorded id is the ledger's.
 */
export async function compareWithLedger(page: Page, app: AppProcess, gateway: SandboxServer, campaign: { id: string; title: string; recipients: string[] }) {
  const ledger = gateway.sandbox.ledger().filter((entry) => entry.title === campaign.title);
  const sent = new Map<string, number>();
  for (const entry of ledger) sent.set(entry.phone, (sent.get(entry.phone) ?? 0) + 1);
  const recorded = await recordedRecipients(page, campaign.id, app.baseURL);
  const byId = (pairs: string[]) => [...pairs].sort();
  const asked = new Set(campaign.recipients);
  return {
    missing: campaign.recipients.filter((phone) => !sent.has(phone)),
    twice: [...sent].filter(([, times]) => times > 1).map(([phone]) => phone),
    notAsked: [...sent.keys()].filter((phone) => !asked.has(phone)),
    recordedNotQueued: recorded.filter((row) => row.status !== "queued").map((row) => `${row.phone}: ${row.status}`),
    recordedCount: recorded.length,
    /** The campaign's phone:id pairs equal the ledger's: the record says exactly what the gateway holds. */
    idsMatch:
      JSON.stringify(byId(recorded.map((row) => `${row.phone}:${row.messageId}`))) === JSON.stringify(byId(ledger.map((entry) => `${entry.phone}:${entry.id}`))),
  };
}
