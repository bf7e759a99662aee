import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { clientAddress, installPeerAddressHeader, normaliseAddress, PEER_ADDRESS_HEADER } from "./client-address";

const headersOf = (values: Record<string, string>) => new Headers(values);

describe("clientAddress", () => {
  it("without trusted proxies is the socket's address, whatever the forwarded headers say", () => {
    const h = headersOf({ [PEER_ADDRESS_HEADER]: "192.0.2.10", "x-forwarded-for": "198.51.100.1, 203.0.113.5", "x-real-ip": "198.51.100.2" });
    expect(clientAddress(h, 0)).toBe("192.0.2.10");
  });

  it("with one trusted proxy is the entry that proxy appended: the last one", () => {
    const h = headersOf({ [PEER_ADDRESS_HEADER]: "10.0.0.2", "x-forwarded-for": "198.51.100.1, 203.0.113.5" });
    expect(clientAddress(h, 1)).toBe("203.0.113.5");
  });

  it("with two trusted proxies is the second entry from the right", () => {
    const h = headersOf({ [PEER_ADDRESS_HEADER]: "10.0.0.2", "x-forwarded-for": "6.6.6.6, 198.51.100.1, 10.0.0.1" });
    expect(clientAddress(h, 2)).toBe("198.51.100.1");
  });

  it("reads repeated X-Forwarded-For headers as one list", () => {
    const h = new Headers();
    h.append("x-forwarded-for", "198.51.100.1");
    h.append("x-forwarded-for", "203.0.113.5");
    h.set(PEER_ADDRESS_HEADER, "10.0.0.2");
    expect(clientAddress(h, 1)).toBe("203.0.113.5");
  });

  it("falls back to the socket when the header is shorter than the hop count, or its entry is no address", () => {
    expect(clientAddress(headersOf({ [PEER_ADDRESS_HEADER]: "10.0.0.2", "x-forwarded-for": "203.0.113.5" }), 2)).toBe("10.0.0.2");
    expect(clientAddress(headersOf({ [PEER_ADDRESS_HEADER]: "10.0.0.2" }), 1)).toBe("10.0.0.2");
    expect(clientAddress(headersOf({ [PEER_ADDRESS_HEADER]: "10.0.0.2", "x-forwarded-for": "198.51.100.1, unknown" }), 1)).toBe("10.0.0.2");
    expect(clientAddress(headersOf({ [PEER_ADDRESS_HEADER]: "10.0.0.2", "x-forwarded-for": "198.51.100.1, " }), 1)).toBe("198.51.100.1");
  });

  it("is 'unknown' when no peer address was recorded (a request that arrived before start-up finished)", () => {
    expect(clientAddress(headersOf({ "x-forwarded-for": "198.51.100.1" }), 0)).toBe("unknown");
    expect(clientAddress(headersOf({ [PEER_ADDRESS_HEADER]: "not an address" }), 0)).toBe("unknown");
  });
});

describe("normaliseAddress", () => {
  it("turns IPv4-mapped IPv6 into IPv4", () => {
    expect(normaliseAddress("::ffff:203.0.113.7")).toBe("203.0.113.7");
    expect(normaliseAddress("::FFFF:cb00:7107")).toBe("203.0.113.7");
  });

  it("groups IPv6 by /64: one subscriber usually holds the whole prefix", () => {
    expect(normaliseAddress("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(normaliseAddress("2001:0DB8:0001:0002:ffff:ffff:ffff:ffff")).toBe("2001:db8:1:2::/64");
    expect(normaliseAddress("::1")).toBe("::/64");
    expect(normaliseAddress("fe80::1%eth0")).toBe("fe80::/64");
  });

  it("accepts the forms proxies write: ports and brackets", () => {
    expect(normaliseAddress("203.0.113.7:51234")).toBe("203.0.113.7");
    expect(normaliseAddress("[2001:db8::5]:443")).toBe("2001:db8::/64");
    expect(normaliseAddress("[2001:db8::5]")).toBe("2001:db8::/64");
    expect(normaliseAddress(" 203.0.113.7 ")).toBe("203.0.113.7");
  });

  it("refuses anything that is not an address", () => {
    for (const value of ["", "unknown", "localhost", "203.0.113", "1.2.3.4.5", "<script>", "203.0.113.7, 1.1.1.1", "a".repeat(100)]) {
      expect(normaliseAddress(value), value).toBeNull();
    }
  });
});

describe("installPeerAddressHeader", () => {
  const servers: http.Server[] = [];
  afterAll(() => servers.forEach((server) => server.close()));

  it("gives every request the socket's address and drops a client-sent copy of the header", async () => {
    installPeerAddressHeader();
    installPeerAddressHeader(); // idempotent: start-up may run twice in one process
    const seen: (string | string[] | undefined)[] = [];
    const server = http.createServer((request, response) => {
      seen.push(request.headers[PEER_ADDRESS_HEADER]);
      response.end("ok");
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    await fetch(`http://127.0.0.1:${port}/`, { headers: { [PEER_ADDRESS_HEADER]: "198.51.100.66", "x-forwarded-for": "198.51.100.67" } });
    await fetch(`http://127.0.0.1:${port}/`);
    expect(seen).toEqual(["127.0.0.1", "127.0.0.1"]);
  });
});
