import { readFileSync } from "node:fs";

import { describe, expect, it } from "vitest";

import { MEDIA_CSP, safeServeHeaders } from "@/lib/media/serve-headers";
import { validateMediaUpload } from "@/lib/media/validate";

const fixtureDir = new URL("../../tests/fixtures/media/", import.meta.url);
const fixture = (name: string) => new Uint8Array(readFileSync(new URL(name, fixtureDir)));

describe("safeServeHeaders", () => {
  it("sets the locked-down headers on every response", () => {
    const headers = safeServeHeaders("image/png", "banner.png", "inline");
    expect(headers).toEqual({
      "Content-Type": "image/png",
      "Content-Disposition": `inline; filename="banner.png"; filename*=UTF-8''banner.png`,
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'; sandbox",
      "Cross-Origin-Resource-Policy": "same-origin",
      "Cache-Control": "private, max-age=3600",
    });
  });

  it("serves passive media and plain text inline when asked", () => {
    expect(safeServeHeaders("audio/mpeg", "a.mp3", "inline")["Content-Disposition"]).toMatch(/^inline;/);
    expect(safeServeHeaders("video/mp4", "a.mp4", "inline")["Content-Disposition"]).toMatch(/^inline;/);
    const text = safeServeHeaders("text/plain", "a.txt", "inline");
    expect(text["Content-Type"]).toBe("text/plain; charset=utf-8");
    expect(text["Content-Disposition"]).toMatch(/^inline;/);
  });

  it("canonicalises aliases", () => {
    expect(safeServeHeaders("image/pjpeg", "a.jpg", "inline")["Content-Type"]).toBe("image/jpeg");
    expect(safeServeHeaders("Audio/MP3; foo=bar", "a.mp3", "inline")["Content-Type"]).toBe("audio/mpeg");
  });

  it("forces documents, XML and anything renderable to attachment", () => {
    for (const type of ["application/smil+xml", "application/pdf", "application/msword", "application/zip", "text/csv", "text/x-vcard", "text/richtext", "video/x-ms-asf"]) {
      const expected = type.startsWith("video/") ? "inline" : "attachment";
      expect(safeServeHeaders(type, "x", "inline")["Content-Disposition"].split(";")[0], type).toBe(expected);
    }
    expect(safeServeHeaders("text/csv", "a.csv", "inline")["Content-Type"]).toBe("text/csv; charset=utf-8");
  });

  it("never serves types outside the allow-list as themselves", () => {
    for (const type of ["text/html", "application/xhtml+xml", "application/xml", "text/xml", "application/javascript", "image/webp", ""]) {
      const headers = safeServeHeaders(type, "x.html", "inline");
      expect(headers["Content-Type"], type).toBe("application/octet-stream");
      expect(headers["Content-Disposition"], type).toMatch(/^attachment;/);
    }
  });

  it("serves an SVG containing <script> inline only as an inert, sandboxed image", async () => {
    const upload = await validateMediaUpload({ name: "script.svg", bytes: fixture("script.svg") });
    expect(upload).toMatchObject({ ok: true, contentType: "image/svg+xml" });
    if (!upload.ok) return;
    const headers = safeServeHeaders(upload.contentType, upload.displayName, "inline");
    expect(headers["Content-Type"]).toBe("image/svg+xml");
    expect(headers["X-Content-Type-Options"]).toBe("nosniff");
    // Direct navigation gets an opaque origin with scripts off and no fetches at all.
    expect(headers["Content-Security-Policy"]).toBe(MEDIA_CSP);
    const directives = MEDIA_CSP.split(";").map((d) => d.trim());
    expect(directives).toContain("sandbox");
    expect(directives).toContain("default-src 'none'");
    expect(MEDIA_CSP).not.toMatch(/script-src|allow-scripts|allow-same-origin/);
    expect(headers["Cross-Origin-Resource-Policy"]).toBe("same-origin");
  });

  it("offers .svgz as a download (it needs Content-Encoding negotiation to render)", () => {
    expect(safeServeHeaders("image/svg+xml", "logo.svgz", "inline")["Content-Disposition"]).toMatch(/^attachment;/);
  });

  it("keeps an explicit attachment request", () => {
    expect(safeServeHeaders("image/png", "a.png", "attachment")["Content-Disposition"]).toMatch(/^attachment;/);
  });

  it("encodes Unicode names per RFC 5987 with an ASCII fallback", () => {
    const disposition = safeServeHeaders("image/jpeg", "Zażółć gęślą (1)'.jpg", "attachment")["Content-Disposition"];
    expect(disposition).toBe(
      `attachment; filename="Zazolc gesla (1)_.jpg"; filename*=UTF-8''Za%C5%BC%C3%B3%C5%82%C4%87%20g%C4%99%C5%9Bl%C4%85%20%281%29_.jpg`,
    );
    expect(decodeURIComponent(disposition.split("UTF-8''")[1] ?? "")).toBe("Zażółć gęślą (1)_.jpg");
  });

  it("cannot be used for header injection or quote breaking", () => {
    const headers = safeServeHeaders("text/plain", 'a"\r\nSet-Cookie: x=1;\\.txt', "inline");
    for (const value of Object.values(headers)) expect(value).not.toMatch(/[\r\n]/);
    const disposition = headers["Content-Disposition"] ?? "";
    const fallback = /filename="([^"]*)"/.exec(disposition)?.[1] ?? "";
    expect(fallback).not.toMatch(/["\\;]/);
    expect(disposition.split("filename*=")[1]).toMatch(/^UTF-8''[A-Za-z0-9%!._~-]+$/);
  });
});
