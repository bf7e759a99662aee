import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The composer's first-load bundle is what its static imports reach. This walks that graph the way the
 * bundler does (type-only imports, import() and "use server" modules do not pull code in) and keeps
 * the heavy parts where they belong: phone metadata and spreadsheet parsers in the recipients worker,
 * zod in the lazily loaded validation chunk, the calendar and the virtualiser in their lazy chunks.
 */
const ROOT = path.resolve(new URL("../..", import.meta.url).pathname);
const STATIC_IMPORT = /^\s*(?:import|export)\s+(?!type\b)(?:[^'";]*?\sfrom\s+)?["']([^"']+)["']/gm;
const EXTENSIONS = ["", ".ts", ".tsx", "/index.ts", "/index.tsx"];

function resolveLocal(specifier: string, fromFile: string): string {
  const base = specifier.startsWith("@/") ? path.join(ROOT, specifier.slice(2)) : path.resolve(path.dirname(fromFile), specifier);
  const found = EXTENSIONS.map((extension) => base + extension).find((candidate) => statSync(candidate, { throwIfNoEntry: false })?.isFile());
  if (!found) throw new Error(`Cannot resolve ${specifier} from ${fromFile}`);
  return found;
}

function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

function staticGraph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const source = readFileSync(file, "utf8");
    // Client code gets a reference to a server action, never the module itself.
    if (/^\s*["']use server["']/.test(source)) return;
    for (const match of source.matchAll(STATIC_IMPORT)) {
      const specifier = match[1]!;
      if (specifier.startsWith(".") || specifier.startsWith("@/")) {
        const resolved = resolveLocal(specifier, file);
        if (/\.(ts|tsx)$/.test(resolved)) visit(resolved);
      } else {
        packages.add(packageName(specifier));
      }
    }
  };
  visit(path.join(ROOT, entry));
  return { files, packages };
}

describe("the composer's first-load import graph", () => {
  const { files, packages } = staticGraph("components/compose/ComposeForm.tsx");
  const relative = [...files].map((file) => path.relative(ROOT, file));

  it("holds no phone metadata, spreadsheet parser, zod, calendar or virtualiser", () => {
    for (const heavy of ["libphonenumber-js", "papaparse", "read-excel-file", "zod", "react-day-picker", "date-fns", "@tanstack/react-virtual"]) {
      expect(packages, heavy).not.toContain(heavy);
    }
    expect(relative).not.toContain("lib/recipients/phone.ts");
    expect(relative).not.toContain("lib/compose/schemas.ts");
    expect(relative).not.toContain("lib/compose/field-schemas.ts");
  });

  it("would notice a heavy import (the lazily loaded validation module has one)", () => {
    expect(staticGraph("components/compose/validation.ts").packages).toContain("zod");
    expect(staticGraph("lib/compose/schemas.ts").packages).toContain("libphonenumber-js");
  });

  it("still reaches the parts it shows at once", () => {
    expect(relative).toEqual(expect.arrayContaining(["components/compose/FilePicker.tsx", "components/compose/RecipientsInput.tsx", "lib/compose/title.ts"]));
  });
});

describe("the media page's first-load import graph", () => {
  // What app/(dashboard)/media/page.tsx renders on the client. zod (~31 kB gzipped) is fetched by the
  // URL import form when it is used, so the page stays within its first-load budget (npm run bench, P6).
  const entries = ["components/media/MediaDropzone.tsx", "components/media/ImportUrlForm.tsx", "components/media/MediaLibrary.tsx"];

  it("holds no zod", () => {
    for (const entry of entries) expect(staticGraph(entry).packages, entry).not.toContain("zod");
  });

  it("would notice zod (the URL schema module has it)", () => {
    expect(staticGraph("lib/media/upload-schemas.ts").packages).toContain("zod");
  });
});
