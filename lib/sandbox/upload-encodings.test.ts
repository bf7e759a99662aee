import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PNG_BYTES, startTestSandbox, type TestSandbox } from "@/tests/support/sandbox";

/*
 * A gateway that reads only one encoding of a disk upload (issue 12 item 1): the real one's is
 * unverified (API reference §9.4), so tests need a double that takes base64 only or multipart only,
 * answering the other as if `file` were missing (2000), as a PHP gateway reading only $_POST['file']
 * or only $_FILES['file'] would.
 */

let gw: TestSandbox;

const asBase64 = () => gw.call("files/add", { type: "mms", file: PNG_BYTES.toString("base64"), name: "b.png" });
async function asMultipart() {
  const form = new FormData();
  form.append("type", "mms");
  form.append("file", new Blob([PNG_BYTES]), "m.png");
  return (await gw.raw("files/add", { body: form })).json();
}

beforeAll(async () => {
  gw = await startTestSandbox({ uploadEncodings: "multipart" });
});
afterAll(async () => {
  await gw.dispose();
});
beforeEach(() => gw.sandbox.reset());

describe("the sandbox's accepted upload encodings", () => {
  it("configured for multipart only, answers a base64 upload as if file were missing", async () => {
    expect(await gw.admin("upload-encodings")).toEqual({ accept: "multipart" });
    expect((await asBase64()).error).toEqual({ code: 2000, type: "ValidationRequiredError", message: "Missing required parameter: url or file" });
    expect(await asMultipart()).toMatchObject({ success: true });
    expect((await gw.call("files/index", { type: "mms" })).items).toHaveLength(1);
  });

  it("switched to base64 only through the admin endpoint, refuses multipart the same way", async () => {
    expect(await gw.admin("upload-encodings", { accept: "base64" })).toEqual({ accept: "base64" });
    expect((await asMultipart()).error).toMatchObject({ code: 2000 });
    expect(await asBase64()).toMatchObject({ success: true });
    await gw.admin("upload-encodings", { accept: "both" });
    expect(await asMultipart()).toMatchObject({ success: true });
  });

  it("goes back to its configured value on reset, and refuses an unknown value", async () => {
    await gw.admin("upload-encodings", { accept: "both" });
    await gw.admin("reset");
    expect(await gw.admin("upload-encodings")).toEqual({ accept: "multipart" });
    expect((await gw.admin("upload-encodings", { accept: "json" })).error).toEqual({
      code: 1006,
      type: "InvalidData",
      message: 'accept must be one of both, base64, multipart (got "json")',
    });
  });

  it("still takes a URL import whatever the encodings (the URL is not a disk upload)", async () => {
    await gw.admin("upload-encodings", { accept: "base64" });
    expect((await gw.call("files/add", { type: "mms", url: "http://127.0.0.1:1/x.png" })).error.code).not.toBe(2000);
  });
});
