import fs from "node:fs";
import { builtinModules } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";

/*
 * The sandbox stands alone (issue 12 item 6): it is the gateway double, so it must not share the
 * app's code for what it checks (a detector bug would then hide behind the same code in the double)
 * nor its configuration. It may import its own folder, a few generic helpers that know nothing of the
 * app, Node built-ins and the npm packages listed here. A later issue replaces this walk with ESLint
 * rules (no-restricted-imports per folder).
 */

const ROOT = process.cwd();
const SANDBOX_DIR = path.join(ROOT, "lib", "sandbox");

/** Generic helpers: no app knowledge, and (checked below) nothing but Node and npm packages inside. */
const GENERIC_HELPERS = new Set(["@/lib/time/warsaw", "@/lib/http/read-body", "@/lib/db/connection"]);
const PACKAGES = new Set(["zod", "drizzle-orm", "better-sqlite3", "file-type", "ipaddr.js"]);
const TEST_ONLY = { packages: new Set(["vitest"]), prefixes: ["@/tests/support/"] };

const IMPORT_PATTERN = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)["']([^"']+)["']/g;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx|mts)$/.test(entry.name) ? [full] : [];
  });
}

function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, "utf8");
  return [...text.matchAll(IMPORT_PATTERN)].map((match) => match[1] ?? "");
}

function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] ?? specifier);
}

const isBuiltin = (specifier: string) => specifier.startsWith("node:") || builtinModules.includes(specifier);

/** Why `specifier`, imported by `file`, breaks the rule; null when it is allowed. */
function violation(file: string, specifier: string): string | null {
  const isTest = /\.test\.ts$/.test(file);
  if (isBuiltin(specifier)) return null;
  if (specifier.startsWith(".")) {
    const target = path.resolve(path.dirname(file), specifier);
    return target === SANDBOX_DIR || target.startsWith(SANDBOX_DIR + path.sep) ? null : "a relative import out of lib/sandbox";
  }
  if (specifier.startsWith("@/")) {
    if (specifier === "@/lib/sandbox" || specifier.startsWith("@/lib/sandbox/")) return null;
    if (GENERIC_HELPERS.has(specifier)) return null;
    if (isTest && TEST_ONLY.prefixes.some((prefix) => specifier.startsWith(prefix))) return null;
    return "app code";
  }
  const name = packageName(specifier);
  if (PACKAGES.has(name) || (isTest && TEST_ONLY.packages.has(name))) return null;
  return "a package not on the sandbox's list";
}

describe("the sandbox imports only its own folder and generic helpers", () => {
  it("has no import of app code, app config or other app folders", () => {
    const offending = sourceFiles(SANDBOX_DIR).flatMap((file) =>
      importsOf(file).flatMap((specifier) => {
        const reason = violation(file, specifier);
        return reason ? [`${path.relative(ROOT, file)} imports ${specifier} (${reason})`] : [];
      }),
    );
    expect(offending).toEqual([]);
  });

  it("keeps its generic helpers generic: they import only Node and npm packages", () => {
    const offending = [...GENERIC_HELPERS].flatMap((helper) => {
      const file = path.join(ROOT, `${helper.slice(2)}.ts`);
      return importsOf(file).flatMap((specifier) => (specifier.startsWith("@/") || specifier.startsWith(".") ? [`${helper} imports ${specifier}`] : []));
    });
    expect(offending).toEqual([]);
  });

  it("is not imported by the app's configuration (lib/config), which only decides whether it is served", () => {
    const configDir = path.join(ROOT, "lib", "config");
    const offending = sourceFiles(configDir).flatMap((file) =>
      importsOf(file)
        .filter((specifier) => specifier.startsWith("@/lib/sandbox") || path.resolve(path.dirname(file), specifier).startsWith(SANDBOX_DIR))
        .map((specifier) => `${path.relative(ROOT, file)} imports ${specifier}`),
    );
    expect(offending).toEqual([]);
  });

  it("keeps its database schema and migrations in its own folder", () => {
    expect(fs.existsSync(path.join(SANDBOX_DIR, "schema.ts"))).toBe(true);
    expect(fs.existsSync(path.join(SANDBOX_DIR, "migrations", "meta", "_journal.json"))).toBe(true);
    expect(fs.existsSync(path.join(ROOT, "lib", "db", "sandbox-schema.ts"))).toBe(false);
    expect(fs.existsSync(path.join(ROOT, "lib", "db", "migrations", "sandbox"))).toBe(false);
    expect(fs.readFileSync(path.join(ROOT, "drizzle.sandbox.config.ts"), "utf8")).toMatch(/lib\/sandbox\/schema\.ts[\s\S]*lib\/sandbox\/migrations/);
  });
});
