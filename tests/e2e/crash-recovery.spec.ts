import fs from "node:fs";
import { startSandboxServer, type SandboxServer } from "@/lib/sandbox/server";
import { addGatewayFile, AppProcess, compareWithLedger, signInTo } from "./support/app-process";
import { campaignSummary, startCampaign } from "./support/campaign";
import { expect, test } from "./support/fixtures";

/**
 * The server process is killed (SIGKILL: no shutdown hook runs) in the middle of a campaign, with
 * batches in flight, and started again on the same data. The gateway is a sandbox of its own that
 * outlives the app, as SerwerSMS would. Nobody clicks anything after the restart: the durable engine
 * goes on from the database by itself. The batches caught in flight lose their lease and are looked
 * up at the gateway, never resent blindly: the one the gateway had taken is settled from its
 * reports, the one it never received is sent, once. In the end the gateway's ledger equals the
 * campaign's record: everybody exactly once.
 */

const PORT = Number(process.env.E2E_PORT ?? 3100) + 30;
const DATA_DIR = ".data-e2e-crash";
const TOKEN = "crash-test-gateway-token";
const ADMIN = { email: "crash-admin@example.com", password: "crash-admin-password" };
const TITLE = "Crash and recover";
const BATCH = 50;
const BATCHES = 10;
const CONCURRENCY = 2;
/**
 * The send_mms calls the kill catches in flight. The gateway takes the 6th and holds back its answer
 * (the request reached it, the answer never reaches the app); it holds the 7th without taking it
 * (the request never got through). So the kill always finds one batch of each kind in flight, instead
 * of wherever the timing happens to land.
 */
const TAKEN_IN_FLIGHT = 6;
const NOT_TAKEN_IN_FLIGHT = 7;

let gateway: SandboxServer;
let app: AppProcess;

test.beforeAll(async () => {
  AppProcess.freshDataDir(DATA_DIR);
  gateway = await startSandboxServer({
    dataDir: `${DATA_DIR}/gateway`,
    dbPath: `${DATA_DIR}/gateway/gateway.db`,
    token: TOKEN,
    username: "crash",
    password: "crash-password",
    adminEnabled: true,
    // Every request takes a while, as over the internet: the kill lands with requests open.
    latencyMs: 200,
    faults: {
      rules: [
        { action: "messages/send_mms", nth: [TAKEN_IN_FLIGHT], kind: "timeoutAfterAccept" },
        { action: "messages/send_mms", nth: [NOT_TAKEN_IN_FLIGHT], kind: "timeoutBeforeAccept" },
      ],
    },
  });
  app = new AppProcess(PORT, {
    DATA_DIR,
    SERWERSMS_API_URL: gateway.baseUrl,
    SERWERSMS_TOKEN: TOKEN,
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    // A claim not renewed for 3 s is lost: the batches of the killed process become unknown soon after
    // the restart instead of after the default minute.
    SEND_LEASE_SECONDS: "3",
    // This sandbox's reports never trail its sends, so a number it does not report was never sent: the
    // look-up may settle at once. Against a gateway whose reports lag, the default grace period keeps
    // it unknown for longer (lib/campaign/service-reconcile.test.ts).
    RECONCILE_GRACE_MINUTES: "0",
  });
  await app.start();
});

// A failed run shows what the engine said (lease expiries, look-ups): the servers' own campaign log lines.
test.afterEach(async ({}, testInfo) => {
  if (testInfo.status === testInfo.expectedStatus) return;
  for (const [index, process] of (app ? [app] : []).entries()) {
    const lines = process.log.join("").split("\n").filter((line) => line.includes("[campaign "));
    await testInfo.attach(`server ${index + 1} campaign log`, { body: lines.join("\n") });
    console.log(`server ${index + 1} campaign log:\n${lines.slice(-20).join("\n")}`);
  }
});

test.afterAll(async () => {
  await app?.kill();
  await gateway?.close();
  fs.rmSync(DATA_DIR, { recursive: true, force: true });
});

test.use({ baseURL: `http://127.0.0.1:${PORT}` });

test("a campaign whose server was killed mid-send completes by itself after the restart: nobody twice, nobody missing", async ({ page }) => {
  test.setTimeout(90_000);
  const fileId = await addGatewayFile(gateway, TOKEN, "crash.png");
  const recipients = Array.from({ length: BATCH * BATCHES }, (_, i) => `+48503${String(i).padStart(6, "0")}`);
  await signInTo(page, ADMIN);
  const campaignId = await startCampaign(page, app.baseURL, { title: TITLE, fileId, recipients, options: { batchSize: BATCH, concurrency: CONCURRENCY } }, app.baseURL);

  // The kill comes once the gateway holds both requests: 6 batches taken, 2 requests open.
  await expect
    .poll(() => gateway.sandbox.stats(), { intervals: [20], timeout: 30_000 })
    .toMatchObject({ sendMmsCalls: TAKEN_IN_FLIGHT, sendMmsInFlight: 2 });
  await app.kill();
  // The held requests end with their connection; nothing else reaches the gateway while the app is down.
  await expect.poll(() => gateway.sandbox.stats().sendMmsInFlight).toBe(0);
  expect(gateway.sandbox.stats().sendMmsCalls).toBe(TAKEN_IN_FLIGHT);
  expect(gateway.sandbox.ledger().filter((entry) => entry.title === TITLE)).toHaveLength(TAKEN_IN_FLIGHT * BATCH);

  const restartedAt = Date.now();
  await app.start();
  // Staff open the campaign page (the session survives the restart: it lives in the database) and
  // watch it finish, without a click.
  await page.goto(`/history/${campaignId}`);
  const results = page.getByTestId("campaign-results");
  await expect(results.getByTestId("campaign-status")).toHaveText("Completed", { timeout: 45_000 });
  console.log(`[crash-recovery] completed ${((Date.now() - restartedAt) / 1000).toFixed(1)} s after the restart began`);

  const summary = await campaignSummary(page, campaignId, app.baseURL);
  expect(summary.status).toBe("completed");
  // The batch the gateway had taken was settled from its reports ("reconciled"), not sent again; the
  // one it never received was found absent and then sent, like the three that had not left yet.
  expect(summary.batches).toMatchObject({ total: BATCHES, done: BATCHES - 1, reconciled: 1, unknown: 0, failed: 0, pending: 0, sending: 0 });
  // One accepted send_mms call per batch over the whole campaign, the kill included.
  expect(gateway.sandbox.stats().sendMmsCalls).toBe(BATCHES);
  expect(await compareWithLedger(page, app, gateway, { id: campaignId, title: TITLE, recipients })).toEqual({
    missing: [],
    twice: [],
    notAsked: [],
    recordedNotQueued: [],
    recordedCount: recipients.length,
    idsMatch: true,
  });
});
