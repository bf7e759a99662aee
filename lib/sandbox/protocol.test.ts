import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSandbox } from "@/lib/sandbox";
import { makeTempDir, PNG_BYTES, startTestSandbox, TEST_PASSWORD, TEST_TOKEN, TEST_USERNAME, type TestSandbox } from "@/tests/support/sandbox";

let gw: TestSandbox;
beforeAll(async () => {
  gw = await startTestSandbox();
});
afterAll(async () => {
  await gw.dispose();
});

const post = (action: string, init: RequestInit) => fetch(gw.baseUrl + action, { method: "POST", ...init });

describe("authentication", () => {
  it("accepts the Bearer token", async () => {
    expect((await gw.call("account/limits")).items[0].type).toBe("eco");
  });

  it("accepts username and password in a JSON body", async () => {
    const answer = await gw.call("account/limits", { username: TEST_USERNAME, password: TEST_PASSWORD }, { auth: "none" });
    expect(answer.account).toEqual({ type: "prepaid" });
  });

  it("accepts username and password in a form body", async () => {
    const response = await post("account/limits", {
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ username: TEST_USERNAME, password: TEST_PASSWORD, system: "client_php" }).toString(),
    });
    expect((await response.json()).items).toHaveLength(6);
  });

  it("reads a JSON body sent with curl's default form content type (curl -d '{...}')", async () => {
    const { id } = await gw.call("files/add", { type: "mms", file: PNG_BYTES.toString("base64"), name: "curl.png" });
    const response = await post("files/index", {
      headers: { authorization: `Bearer ${TEST_TOKEN}`, "content-type": "application/x-www-form-urlencoded" },
      body: '{"type":"mms"}',
    });
    expect(await response.json()).toEqual({ items: [expect.objectContaining({ id, name: "curl.png", type: "mms" })] });
    await gw.call("files/delete", { id, type: "mms" });
  });

  it.each([
    ["a wrong token", { authorization: "Bearer wrong-token" }, {}],
    ["a Basic header", { authorization: `Basic ${Buffer.from(`${TEST_USERNAME}:${TEST_PASSWORD}`).toString("base64")}` }, {}],
    ["a wrong password", {}, { username: TEST_USERNAME, password: "nope" }],
    ["a wrong username", {}, { username: "someone", password: TEST_PASSWORD }],
    ["no credentials", {}, {}],
    ["a username only", {}, { username: TEST_USERNAME }],
  ])("refuses %s with 1001", async (_label, headers, body) => {
    const response = await post("account/limits", { headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ error: { code: 1001, type: "InvalidUser", message: "Incorrect login or password" } });
  });
});

describe("paths and methods", () => {
  it("answers with and without the .json suffix", async () => {
    expect((await gw.call("account/limits.json")).items).toHaveLength(6);
    expect((await gw.call("account/limits")).items).toHaveLength(6);
  });

  it("refuses .xml with a clear envelope", async () => {
    const answer = await gw.call("account/limits.xml");
    expect(answer.error.code).toBe(1000);
    expect(answer.error.message).toMatch(/XML/);
  });

  it("answers GET with 1000", async () => {
    const response = await fetch(`${gw.baseUrl}account/limits`, { headers: { authorization: `Bearer ${TEST_TOKEN}` } });
    expect(response.status).toBe(200);
    expect((await response.json()).error).toMatchObject({ code: 1000, type: "InvalidAction" });
  });

  it("answers an unknown action with 1000 InvalidAction", async () => {
    expect((await gw.call("messages/send_fax")).error).toMatchObject({ code: 1000, type: "InvalidAction" });
    expect((await gw.call("")).error.code).toBe(1000);
  });

  it("looks up error codes with error/<code>", async () => {
    expect(await gw.call("error/1000")).toEqual({ error: { code: 1000, type: "InvalidAction", message: "No action specified" } });
    expect((await gw.call("error/3004.json")).error).toEqual({ code: 3004, type: "SendError", message: "MMS limit exhausted" });
    expect((await gw.call("error/3103")).error).toEqual({ code: 3103, type: "SendError", message: "Incorrect number" });
    expect((await gw.call("error/9999")).error.code).toBe(2002);
    expect((await gw.call("error/abc")).error.code).toBe(2002);
  });

  it("answers account/help and both spellings of received", async () => {
    expect(await gw.call("account/help")).toHaveProperty("telephone");
    expect(await gw.call("messages/recived", { type: "mms" })).toEqual({ items: [] });
    expect(await gw.call("messages/received", { type: "mms" })).toEqual({ items: [] });
  });

  it("reports the remaining MMS credit in account/limits", async () => {
    const mms = (await gw.call("account/limits")).items.find((item: { type: string }) => item.type === "mms");
    expect(mms).toEqual({ type: "mms", chars_limit: "40/1", value: "1000000" });
  });
});

describe("bodies", () => {
  it("refuses malformed JSON with 1006", async () => {
    const response = await gw.raw("account/limits", { headers: { "content-type": "application/json" }, body: "{not json" });
    expect((await response.json()).error).toMatchObject({ code: 1006, type: "InvalidData" });
  });

  it("treats JSON null as absent and ignores unknown parameters", async () => {
    const answer = await gw.call("files/index", { type: "mms", system: "client_php", sender: null, whatever: [1, 2] });
    expect(answer.items).toEqual([]);
    expect((await gw.call("files/index", { type: null })).error.code).toBe(2000);
  });

  it("reads phone[] / phone[0] / comma lists from form bodies and lenient booleans", async () => {
    const fileId = await gw.uploadPng();
    const form = (body: string) =>
      gw.raw("messages/send_mms", { headers: { "content-type": "application/x-www-form-urlencoded" }, body }).then((r) => r.json());
    const common = `title=Hi&file_id=${fileId}&test=1&details=on`;

    const brackets = await form(`${common}&phone[]=500600700&phone[]=600700800`);
    expect(brackets.items.map((item: { phone: string }) => item.phone)).toEqual(["+48500600700", "+48600700800"]);

    const indexed = await form(`${common}&phone%5B1%5D=600700800&phone%5B0%5D=500600700`);
    expect(indexed.items.map((item: { phone: string }) => item.phone)).toEqual(["+48500600700", "+48600700800"]);

    const comma = await form(`${common}&phone=500600700,600700800,700800900`);
    expect(comma.queued).toBe(3);

    const noDetails = await form(`title=Hi&file_id=${fileId}&test=true&details=0&phone=500600700`);
    expect(noDetails).toEqual({ success: true, queued: 1, unsent: 0 });
    const emptyDetails = await form(`title=Hi&file_id=${fileId}&test=true&details=&phone=500600700`);
    expect(emptyDetails.items).toBeUndefined();
    const badBoolean = await form(`title=Hi&file_id=${fileId}&test=maybe&phone=500600700`);
    expect(badBoolean.error.code).toBe(1006);
    expect(gw.sandbox.ledger()).toEqual([]);
  });

  it("accepts JSON booleans as true/\"true\"/1/\"1\"", async () => {
    const fileId = await gw.uploadPng();
    for (const value of [true, "true", 1, "1"]) {
      const answer = await gw.call("messages/send_mms", { phone: "500600700", title: "T", file_id: fileId, test: value, details: value });
      expect(answer.items).toHaveLength(1);
    }
    for (const value of [false, "false", 0, "0"]) {
      const answer = await gw.call("messages/send_mms", { phone: "500600700", title: "T", file_id: fileId, test: true, details: value });
      expect(answer.items).toBeUndefined();
    }
  });

  it("accepts multipart bodies with fields and a file part", async () => {
    const form = new FormData();
    form.append("type", "mms");
    form.append("name", "from-disk.png");
    form.append("file", new Blob([PNG_BYTES], { type: "image/png" }), "photo.png");
    const answer = await (await gw.raw("files/add", { body: form })).json();
    expect(answer.success).toBe(true);
    expect(answer.id).toMatch(/^[0-9a-f]{10}$/);
    const view = await gw.call("files/view", { id: answer.id, type: "mms" });
    expect(view).toMatchObject({ id: answer.id, name: "from-disk.png", size: PNG_BYTES.length, type: "mms" });
  });

  it("authenticates with credentials sent as multipart fields", async () => {
    const form = new FormData();
    form.append("username", TEST_USERNAME);
    form.append("password", TEST_PASSWORD);
    form.append("type", "mms");
    const response = await post("files/index", { body: form });
    expect(await response.json()).toHaveProperty("items");
  });
});

describe("admin endpoint", () => {
  it("is off by default and then answers like an unknown action", async () => {
    const off = await startTestSandbox({ adminEnabled: false });
    try {
      for (const action of ["__admin/stats", "__admin/faults", "__admin/reset"]) {
        expect((await off.call(action, { rules: [] })).error).toMatchObject({ code: 1000, type: "InvalidAction" });
      }
    } finally {
      await off.dispose();
    }
  });

  it("requires the Bearer token, not body credentials", async () => {
    const answer = await gw.call("__admin/stats", { username: TEST_USERNAME, password: TEST_PASSWORD }, { auth: "none" });
    expect(answer.error.code).toBe(1001);
    expect(await gw.admin("stats")).toHaveProperty("requests");
  });

  it("sets the credit and validates fault plans", async () => {
    expect(await gw.admin("credit", { mms: 5 })).toEqual({ mms: 5 });
    const mms = (await gw.call("account/limits")).items[3];
    expect(mms.value).toBe("5");
    expect((await gw.admin("faults", { rules: [{ kind: "explode" }] })).error.code).toBe(1006);
    expect((await gw.admin("faults", { rules: [{ kind: "error" }] })).error.code).toBe(1006);
    expect(await gw.admin("faults", { latencyMs: 0 })).toEqual({ latencyMs: 0, rules: [] });
    await gw.admin("credit", { mms: 1_000_000 });
  });
});

describe("handle() without a server", () => {
  it("answers a plain Request the way the Next route passes it", async () => {
    const dir = makeTempDir();
    const sandbox = createSandbox({
      dataDir: path.join(dir, "data"),
      dbPath: path.join(dir, "gateway.db"),
      token: TEST_TOKEN,
      username: TEST_USERNAME,
      password: TEST_PASSWORD,
      adminEnabled: false,
    });
    try {
      const upload = await sandbox.handle(
        new Request("http://localhost/sandbox-api/files/add.json", {
          method: "POST",
          headers: { authorization: `Bearer ${TEST_TOKEN}`, "content-type": "application/json" },
          body: JSON.stringify({ type: "mms", file: PNG_BYTES.toString("base64"), name: "a.png" }),
        }),
        "files/add.json",
      );
      const { id } = (await upload.json()) as { id: string };
      expect(fs.existsSync(path.join(dir, "data", "files", id))).toBe(true);
      const send = await sandbox.handle(
        new Request("http://localhost/sandbox-api/messages/send_mms", {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: `username=${TEST_USERNAME}&password=${TEST_PASSWORD}&phone=500600700&title=Hello&file_id=${id}`,
        }),
        "messages/send_mms",
      );
      expect(send.status).toBe(200);
      expect(await send.json()).toEqual({ success: true, queued: 1, unsent: 0 });
      expect(sandbox.ledger()).toHaveLength(1);
      const get = await sandbox.handle(new Request("http://localhost/sandbox-api/account/limits"), "account/limits");
      expect(((await get.json()) as { error: { code: number } }).error.code).toBe(1000);
    } finally {
      sandbox.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
