import { describe, expect, it } from "vitest";
import { BodyTooLargeError } from "./read-body";
import { readRequestFields, UnreadableBodyError } from "./read-fields";

const url = "http://x.test/api/push/s?smsid=fromQuery&extra=1";

describe("readRequestFields", () => {
  it("reads the query string of a GET", async () => {
    expect(await readRequestFields(new Request(url), 1024)).toEqual({ smsid: "fromQuery", extra: "1" });
  });

  it("reads a form body over the query string", async () => {
    const request = new Request(url, { method: "POST", body: new URLSearchParams({ smsid: "a1", stan: "delivered" }) });
    expect(await readRequestFields(request, 1024)).toEqual({ smsid: "a1", stan: "delivered", extra: "1" });
  });

  it("reads a flat JSON object, numbers as strings, nested values left out", async () => {
    const request = new Request("http://x.test/", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ id: 12, status: "sent", deep: { a: 1 } }) });
    expect(await readRequestFields(request, 1024)).toEqual({ id: "12", status: "sent" });
  });

  it("reads multipart text fields", async () => {
    const form = new FormData();
    form.set("numer", "+48500600700");
    expect(await readRequestFields(new Request("http://x.test/", { method: "POST", body: form }), 4096)).toEqual({ numer: "+48500600700" });
  });

  it("refuses bad JSON, a JSON array and a body over the limit", async () => {
    const post = (body: string, type = "application/json") => new Request("http://x.test/", { method: "POST", headers: { "content-type": type }, body });
    await expect(readRequestFields(post("{oops"), 1024)).rejects.toBeInstanceOf(UnreadableBodyError);
    await expect(readRequestFields(post("[1]"), 1024)).rejects.toBeInstanceOf(UnreadableBodyError);
    await expect(readRequestFields(post("a=".padEnd(2000, "x"), "application/x-www-form-urlencoded"), 1024)).rejects.toBeInstanceOf(BodyTooLargeError);
  });
});
