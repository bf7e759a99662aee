import { describe, expect, it } from "vitest";
import { HSTS_VALUE, servedOverHttps } from "./transport";

const headers = (proto?: string) => new Headers(proto === undefined ? {} : { "x-forwarded-proto": proto });

describe("served over https", () => {
  it("is on for an https PUBLIC_URL, whatever the request says", () => {
    const http = { publicUrl: "https://mms.example.com", trustProxyHops: 0 };
    expect(servedOverHttps(http, headers())).toBe(true);
    expect(servedOverHttps(http, headers("http"))).toBe(true);
  });

  it("ignores X-Forwarded-Proto unless a proxy is trusted (a client could send it)", () => {
    expect(servedOverHttps({ publicUrl: null, trustProxyHops: 0 }, headers("https"))).toBe(false);
    expect(servedOverHttps({ publicUrl: "http://10.0.0.5:3000", trustProxyHops: 0 }, headers("https"))).toBe(false);
  });

  it("believes the trusted proxy's X-Forwarded-Proto", () => {
    const http = { publicUrl: null, trustProxyHops: 1 };
    expect(servedOverHttps(http, headers("https"))).toBe(true);
    expect(servedOverHttps(http, headers("HTTPS"))).toBe(true);
    expect(servedOverHttps(http, headers("http"))).toBe(false);
    expect(servedOverHttps(http, headers())).toBe(false);
    expect(servedOverHttps(http, headers(""))).toBe(false);
  });

  it("reads the value the outermost trusted proxy wrote, not one a client put in front", () => {
    // Proxies that append: the client sent "https" itself, our one proxy saw plain http.
    expect(servedOverHttps({ publicUrl: null, trustProxyHops: 1 }, headers("https, http"))).toBe(false);
    // Two trusted proxies: the outer one terminated TLS, the inner one appended "http".
    expect(servedOverHttps({ publicUrl: null, trustProxyHops: 2 }, headers("https, http"))).toBe(true);
    expect(servedOverHttps({ publicUrl: null, trustProxyHops: 2 }, headers("https, http, http"))).toBe(false);
  });

  it("asks browsers for a year of https on this host and its subdomains", () => {
    expect(HSTS_VALUE).toBe("max-age=31536000; includeSubDomains");
  });
});
