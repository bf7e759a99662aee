import { describe, expect, it } from "vitest";
import { secretsMatch } from "@/lib/sandbox/auth";
import { newGatewayId } from "@/lib/sandbox/ids";
import { parseGatewayParams, parseLenientBoolean } from "@/lib/sandbox/params";
import { normalizeGatewayPhone } from "@/lib/sandbox/phones";

describe("normalizeGatewayPhone", () => {
  it.each([
    ["500600700", "+48500600700"],
    ["500 600 700", "+48500600700"],
    ["(500) 600-700", "+48500600700"],
    ["500.600.700", "+48500600700"],
    ["48500600700", "+48500600700"],
    ["0048500600700", "+48500600700"],
    ["+48 500 600 700", "+48500600700"],
    ["+4915112345678", "+4915112345678"],
    ["+12345678", "+12345678"],
    ["+123456789012345", "+123456789012345"],
  ])("%s → %s", (input, expected) => {
    expect(normalizeGatewayPhone(input)).toBe(expected);
  });

  it.each(["45616", "7799123", "+1234567", "+1234567890123456", "5006007001", "00491511234567", "abc", "", "+48-abc-600", "48 500 600 70"])(
    "refuses %j",
    (input) => {
      expect(normalizeGatewayPhone(input)).toBeNull();
    },
  );
});

describe("parseLenientBoolean", () => {
  it("takes the spellings official clients send", () => {
    for (const value of [true, "true", 1, "1", "on", "TRUE"]) expect(parseLenientBoolean(value)).toBe(true);
    for (const value of [false, "false", 0, "0", ""]) expect(parseLenientBoolean(value)).toBe(false);
    for (const value of ["yes", 2, [], {}]) expect(parseLenientBoolean(value)).toBeNull();
  });
});

describe("parseGatewayParams", () => {
  const parse = (body: string, contentType?: string, limit = 1024) =>
    parseGatewayParams(new Request("http://x/", { method: "POST", body, headers: contentType ? { "content-type": contentType } : {} }), { bytes: limit, refusal: `Request body exceeds ${limit} bytes` });

  it("folds form keys into lists", async () => {
    const params = await parse("id[]=a&id[]=b&file_id[1]=y&file_id[0]=x&phone=1,2,,3&n=5", "application/x-www-form-urlencoded");
    expect(params.list("id")).toEqual(["a", "b"]);
    expect(params.list("file_id")).toEqual(["x", "y"]);
    expect(params.list("phone")).toEqual(["1", "2", "3"]);
    expect(params.integer("n")).toBe(5);
  });

  it("guesses JSON versus form when no content type is sent", async () => {
    expect((await parse('{"a":"1"}')).string("a")).toBe("1");
    expect((await parse("a=1")).string("a")).toBe("1");
  });

  it("refuses bodies over the limit", async () => {
    await expect(parse("a=" + "x".repeat(2000), "application/x-www-form-urlencoded")).rejects.toMatchObject({ code: 1006, message: "Request body exceeds 1024 bytes" });
  });
});

describe("ids and secrets", () => {
  it("makes 10 lowercase hex ids", () => {
    for (let i = 0; i < 100; i++) expect(newGatewayId()).toMatch(/^[0-9a-f]{10}$/);
  });

  it("compares secrets of any length", () => {
    expect(secretsMatch("abc", "abc")).toBe(true);
    expect(secretsMatch("abc", "abcd")).toBe(false);
    expect(secretsMatch("", "abc")).toBe(false);
  });
});
