import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { validateMediaUpload } from "@/lib/media/validate";
import { sniffUpload } from "@/lib/sandbox/sniff";

/*
 * The app checks every upload with lib/media before it reaches a gateway; the sandbox checks it again
 * with its own small sniffer (lib/sandbox/sniff.ts, issue 12 item 6). Two independent checks must
 * agree on what the app lets through, or the sandbox would refuse files the real gateway takes.
 */
const FIXTURES = path.join(process.cwd(), "tests", "fixtures", "media");
const fixtures = fs.readdirSync(FIXTURES).filter((name) => !/\.(md|mjs)$/.test(name)).sort();

describe("the sandbox's own sniffer against the app's validator, on every media fixture", () => {
  it.each(fixtures)("accepts %s whenever the app accepts it", async (name) => {
    const bytes = new Uint8Array(fs.readFileSync(path.join(FIXTURES, name)));
    const app = await validateMediaUpload({ name, bytes });
    if (!app.ok) return; // the app never sends it; the sandbox may judge it either way
    const sandbox = await sniffUpload(bytes, name);
    expect(sandbox).toMatchObject({ ok: true });
  });

  it.each(["setup.exe", "page.html", "promo.webp", "iphone.heic", "report.docx", "letter.odt", "empty.bin"])(
    "refuses %s, which the brief does not list, by content alone",
    async (name) => {
      const bytes = new Uint8Array(fs.readFileSync(path.join(FIXTURES, name)));
      expect(await sniffUpload(bytes, "renamed.png")).toMatchObject({ ok: false });
    },
  );
});
