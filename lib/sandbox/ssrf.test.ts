import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PNG_BYTES, startFileServer, startTestSandbox, type TestSandbox } from "@/tests/support/sandbox";
import { isPublicAddress } from "@/lib/sandbox/url-fetch";

let files: Awaited<ReturnType<typeof startFileServer>>;
let strict: TestSandbox;
let allowing: TestSandbox;

beforeAll(async () => {
  files = await startFileServer({
    "/x": (res) => res.writeHead(200, { "content-type": "image/png" }).end(PNG_BYTES),
    "/redirect-to-x": (res) => res.writeHead(302, { location: "/x" }).end(),
    "/loop": (res) => res.writeHead(302, { location: "/loop" }).end(),
    "/big": (res) => {
      res.writeHead(200, { "content-type": "image/png" });
      res.write(PNG_BYTES);
      // Never-ending body without a Content-Length: the fetcher must stop at the size limit.
      const timer = setInterval(() => res.write(Buffer.alloc(64 * 1024)), 1);
      res.on("close", () => clearInterval(timer));
    },
    "/not-found": (res) => res.writeHead(404).end(),
  });
  strict = await startTestSandbox();
  allowing = await startTestSandbox({ urlAllowlist: ["127.0.0.1"], maxFileBytes: 256 * 1024 });
});
afterAll(async () => {
  await strict.dispose();
  await allowing.dispose();
  await files.close();
});

const addByUrl = (gw: TestSandbox, url: string) => gw.call("files/add", { type: "mms", url });

describe("files/add by URL", () => {
  it("refuses a loopback URL by default", async () => {
    const answer = await addByUrl(strict, files.url("/x"));
    expect(answer.error).toMatchObject({ code: 1006, type: "InvalidData" });
    expect(answer.error.message).toMatch(/not a public address/);
  });

  it("fetches it when the host is allowlisted", async () => {
    const answer = await addByUrl(allowing, files.url("/x"));
    expect(answer.success).toBe(true);
    expect(await allowing.call("files/view", { id: answer.id, type: "mms" })).toMatchObject({ name: "x", size: PNG_BYTES.length });
  });

  it("follows a redirect to an allowed host, but not more than 3 hops", async () => {
    expect((await addByUrl(allowing, files.url("/redirect-to-x"))).success).toBe(true);
    expect((await addByUrl(allowing, files.url("/loop"))).error.message).toMatch(/redirects/);
  });

  it("stops reading past the size limit and reports HTTP errors", async () => {
    expect((await addByUrl(allowing, files.url("/big"))).error.message).toBe("File exceeds 256 KB");
    expect((await addByUrl(allowing, files.url("/not-found"))).error.message).toMatch(/HTTP 404/);
  });

  it.each(["file:///etc/passwd", "javascript:alert(1)", "ftp://example.com/a.png", "data:image/png;base64,AAAA", "not a url"])(
    "refuses %s",
    async (url) => {
      const answer = await addByUrl(allowing, url);
      expect(answer.error.code).toBe(1006);
    },
  );

  it.each([
    "http://[::1]:9/x",
    "http://[::ffff:127.0.0.1]:9/x",
    "http://[::ffff:7f00:1]:9/x",
    "http://0x7f.1:9/x",
    "http://2130706433:9/x",
    "http://169.254.169.254/latest/meta-data/",
    "http://10.0.0.1/x",
    "http://192.168.1.1/x",
    "http://100.64.0.1/x",
    "http://0.0.0.0:9/x",
    "http://localhost:9/x",
    "http://user:pass@example.com/x",
  ])("refuses the internal or credentialed address %s", async (url) => {
    const answer = await addByUrl(strict, url);
    expect(answer.error.code).toBe(1006);
  });

  it.each([
    ["a loopback IPv4 address", (port: number) => `http://127.0.0.1:${port}/x`],
    ["the IPv6 loopback", (port: number) => `http://[::1]:${port}/x`],
    ["an IPv4-mapped loopback", (port: number) => `http://[::ffff:127.0.0.1]:${port}/x`],
  ])("refuses a redirect from an allowed host to %s", async (_label, target) => {
    // Only 127.0.0.2 (the redirector) is allowlisted; the hop target is a different, unlisted loopback address.
    const redirector = http.createServer((_req, res) => res.writeHead(302, { location: target(files.port) }).end());
    await new Promise<void>((resolve) => redirector.listen(0, "127.0.0.2", resolve));
    const { port } = redirector.address() as { port: number };
    const gw = await startTestSandbox({ urlAllowlist: ["127.0.0.2"] });
    try {
      const answer = await addByUrl(gw, `http://127.0.0.2:${port}/start.png`);
      expect(answer.error.code).toBe(1006);
      expect(answer.error.message).toMatch(/is not a public address/);
      expect(gw.sandbox.ledger()).toEqual([]);
      expect((await gw.call("files/index", { type: "mms" })).items).toEqual([]);
    } finally {
      await gw.dispose();
      redirector.closeAllConnections();
      await new Promise<void>((resolve) => redirector.close(() => resolve()));
    }
  });

  it("allowlists by hostname too", async () => {
    const gw = await startTestSandbox({ urlAllowlist: ["LocalHost"] });
    try {
      // localhost may resolve to ::1 and 127.0.0.1; the file server listens on 127.0.0.1 only, so this also
      // checks that every vetted address is offered to the connection.
      const answer = await addByUrl(gw, `http://localhost:${files.port}/x`);
      expect(answer.success).toBe(true);
    } finally {
      await gw.dispose();
    }
  });
});

describe("isPublicAddress", () => {
  it.each([
    ["8.8.8.8", true],
    ["2606:4700:4700::1111", true],
    ["127.0.0.1", false],
    ["10.1.2.3", false],
    ["172.16.0.1", false],
    ["192.168.0.1", false],
    ["169.254.169.254", false],
    ["100.64.0.1", false],
    ["224.0.0.1", false],
    ["0.0.0.0", false],
    ["255.255.255.255", false],
    ["::", false],
    ["::1", false],
    ["fe80::1", false],
    ["fc00::1", false],
    ["fd12:3456::1", false],
    ["ff02::1", false],
    ["::ffff:127.0.0.1", false],
    ["::ffff:10.0.0.1", false],
    ["::ffff:8.8.8.8", true],
    ["::7f00:1", false],
    ["64:ff9b::7f00:1", false],
    ["2002:7f00:1::", false],
    ["not-an-ip", false],
  ])("%s → %s", (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });
});
