import fs from "node:fs";
import { startSandboxServer, type SandboxServer } from "@/lib/sandbox/server";
import { addGatewayFile, AppProcess, compareWithLedger, signInTo } from "./support/app-process";
import { campaignSummary, startCampaign } from "./support/campaign";
import { expect, test } from "./support/fixtures";

/**
 * Two `next start` processes on the same data (one DATA_DIR, so one database), both with workers,
 * both talking to one external gateway with ~100 ms latency: the durable engine's state lives in the
 * database, so both send the same campaign, one cap on send requests in flight holds over both
 * (GATEWAY_MAX_CONCURRENT_SENDS, default 4), and when one of them is killed mid-campaign the other
 * finishes it with no click. Every time the gateway's ledger equals the campaign's record.
 */

const BASE_PORT = Number(process.env.E2E_PORT ?? 3100);
const DATA_DIR = ".data-e2e-two-processes";
const TOKEN = "two-processes-gateway-token";
const ADMIN = { email: "two-processes-admin@example.com", password: "two-processes-admin-password" };
const BATCH = 50;
/** Above the global cap, so the cap (not the campaign's own concurrency) is what limits. */
const CONCURRENCY = 8;
/** GATEWAY_MAX_CONCURRENT_SENDS's default, left unset on both processes. */
const CAP = 4;
const SEND_MMS = "messages/send_mms";

/**
 * Each process reaches the gateway under a host name of its own (127.0.0.1 and localhost, the same
 * socket), so the gateway can tell whose request it handles: the Host header is the request's URL.
 */
const SENDER_HOSTS = ["127.0.0.1", "localhost"] as const;
type SenderTally = { sends: number; inFlight: number };

let gateway: SandboxServer;
let apps: AppProcess[];
const tally = new Map<string, SenderTally>();

const phones = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `+48${prefix}${String(i).padStart(9 - prefix.length, "0")}`);
const sendsOf = (host: (typeof SENDER_HOSTS)[number]) => tally.get(host)?.sends ?? 0;
const inFlightOf = (host: (typeof SENDER_HOSTS)[number]) => tally.get(host)?.inFlight ?? 0;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  AppProcess.freshDataDir(DATA_DIR);
  gateway = await startSandboxServer({
    dataDir: `${DATA_DIR}/gateway`,
    dbPath: `${DATA_DIR}/gateway/gateway.db`,
    token: TOKEN,
    username: "two-processes",
    password: "two-processes-password",
    adminEnabled: true,
    latencyMs: 100,
  });
  // Counts each process's send_mms requests around the sandbox's own handler (the server calls
  // sandbox.handle for every request; bench/sandbox-server.ts times actions the same way).
  const handle = gateway.sandbox.handle.bind(gateway.sandbox);
  gateway.sandbox.handle = async (request, action) => {
    if (action.replace(/\.json$/i, "") !== SEND_MMS) return handle(request, action);
    const host = new URL(request.url).hostname;
    const sender = tally.get(host) ?? { sends: 0, inFlight: 0 };
    tally.set(host, sender);
    sender.sends++;
    sender.inFlight++;
    try {
      return await handle(request, action);
    } finally {
      sender.inFlight--;
    }
  };
  const gatewayPort = new URL(gateway.baseUrl).port;
  apps = SENDER_HOSTS.map(
    (host, index) =>
      new AppProcess(BASE_PORT + 40 + index, {
        DATA_DIR,
        SERWERSMS_API_URL: `http://${host}:${gatewayPort}/`,
        SERWERSMS_TOKEN: TOKEN,
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
        // A killed process's claims are lost after 3 s instead of the default minute.
        SEND_LEASE_SECONDS: "3",
        // The sandbox's reports never trail its sends: a look-up may settle at once (see crash-recovery.spec.ts).
        RECONCILE_GRACE_MINUTES: "0",
      }),
  );
  // One after the other: the first creates and migrates the database, the second opens it.
  for (const app of apps) await app.start();
});

// A failed run shows what the engine said (lease expiries, look-ups): the servers' own campaign log lines.
test.afterEach(async ({}, testInfo) => {
  if (testInfo.status === testInfo.expectedStatus) return;
  for (const [index, process] of (apps ?? []).entries()) {
    const lines = process.log.join("").split("\n").filter((line) => line.includes("[campaign "));
    await testInfo.attach(`server ${index + 1} campaign log`, { body: lines.join("\n") });
    console.log(`server ${index + 1} campaign log:\n${lines.slice(-20).join("\n")}`);
  }
});

test.afterAll(async () => {
  for (const app of apps ?? []) await app.kill();
  await gateway?.close();
  fs.rmSync(DATA_DIR, { recursive: true, force: true });
});

test.use({ baseURL: `http://127.0.0.1:${BASE_PORT + 40}` });

test("two processes on one database send one campaign together, never more than the cap in flight, everybody once", async ({ page }) => {
  test.setTimeout(90_000);
  const [first, second] = apps as [AppProcess, AppProcess];
  const title = "Two processes";
  const recipients = phones("504", 3000);
  gateway.sandbox.reset();
  tally.clear();
  const fileId = await addGatewayFile(gateway, TOKEN, "two-processes.png");

  // Signed in once: the session lives in the shared database, so the cookie serves both processes.
  await signInTo(page, ADMIN);
  const campaignId = await startCampaign(page, first.baseURL, { title, fileId, recipients, options: { batchSize: BATCH, concurrency: CONCURRENCY } }, first.baseURL);

  // Staff watch it on the other process's campaign page.
  await page.goto(`${second.baseURL}/history/${campaignId}`);
  await expect(page.getByTestId("campaign-results").getByTestId("campaign-status")).toHaveText("Completed", { timeout: 60_000 });
  expect((await campaignSummary(page, campaignId, first.baseURL)).batches).toMatchObject({ total: recipients.length / BATCH, done: recipients.length / BATCH });

  const stats = gateway.sandbox.stats();
  console.log(`[two-processes] send_mms by process: ${JSON.stringify(Object.fromEntries(tally))}; most at once ${stats.maxConcurrentSendMms}`);
  // The cap is what limited (reached), and it held over both processes (never exceeded).
  expect(stats.maxConcurrentSendMms).toBe(CAP);
  expect(stats.sendMmsCalls).toBe(recipients.length / BATCH);
  // Both processes sent part of it: the second found the campaign in the database by itself.
  expect(sendsOf("127.0.0.1"), "send_mms requests of process 1").toBeGreaterThan(0);
  expect(sendsOf("localhost"), "send_mms requests of process 2").toBeGreaterThan(0);
  expect(await compareWithLedger(page, first, gateway, { id: campaignId, title, recipients })).toEqual({
    missing: [],
    twice: [],
    notAsked: [],
    recordedNotQueued: [],
    recordedCount: recipients.length,
    idsMatch: true,
  });
});

test("when one of the two processes is killed mid-campaign, the other finishes it with no click: everybody once", async ({ page }) => {
  test.setTimeout(90_000);
  const [first, second] = apps as [AppProcess, AppProcess];
  const title = "Two processes, one killed";
  const recipients = phones("505", 3000);
  gateway.sandbox.reset();
  tally.clear();
  const fileId = await addGatewayFile(gateway, TOKEN, "two-processes-killed.png");
  await signInTo(page, ADMIN);
  // Started through process 2: it wakes its workers at once, so it holds batches when it dies.
  const campaignId = await startCampaign(page, second.baseURL, { title, fileId, recipients, options: { batchSize: BATCH, concurrency: CONCURRENCY } }, second.baseURL);

  // Once the gateway has taken the first batch, process 2 dies (SIGKILL) while requests of its own are open there.
  await expect.poll(() => gateway.sandbox.stats().sendMmsCalls >= 1 && inFlightOf("localhost") > 0, { intervals: [5], timeout: 30_000 }).toBe(true);
  await second.kill();
  const killedAt = Date.now();
  const sentByKilled = sendsOf("localhost");
  expect((await campaignSummary(page, campaignId, first.baseURL)).status).toBe("sending");

  // Process 1 takes over what the dead one held once its leases run out, looks those batches up at
  // the gateway and sends what the gateway never received; staff see it finish on process 1's page.
  await page.goto(`${first.baseURL}/history/${campaignId}`);
  await expect(page.getByTestId("campaign-results").getByTestId("campaign-status")).toHaveText("Completed", { timeout: 60_000 });
  console.log(`[two-processes] process 2 sent ${sentByKilled} request(s), killed; completed ${((Date.now() - killedAt) / 1000).toFixed(1)} s later`);

  const summary = await campaignSummary(page, campaignId, first.baseURL);
  const batches = recipients.length / BATCH;
  expect(summary.batches).toMatchObject({ total: batches, unknown: 0, failed: 0, pending: 0, sending: 0 });
  expect(summary.batches.done + summary.batches.reconciled).toBe(batches);
  expect(sendsOf("localhost"), "nothing more from the killed process").toBe(sentByKilled);
  const log = first.log.join("");
  // The dead process's batches were taken over through their leases and looked up, not resent blindly.
  expect(log).toContain(`[campaign ${campaignId}] a batch's sender stopped before its answer was stored`);
  expect(log).toContain(`[campaign ${campaignId}] automatic check with the gateway`);
  const stats = gateway.sandbox.stats();
  // One accepted send_mms per batch: what the dead process had got through was not sent again.
  expect(stats.sendMmsCalls).toBe(batches);
  expect(stats.maxConcurrentSendMms).toBeLessThanOrEqual(CAP);
  expect(await compareWithLedger(page, first, gateway, { id: campaignId, title, recipients })).toEqual({
    missing: [],
    twice: [],
    notAsked: [],
    recordedNotQueued: [],
    recordedCount: recipients.length,
    idsMatch: true,
  });
});
