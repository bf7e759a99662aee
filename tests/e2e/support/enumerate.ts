import fs from "node:fs";
import path from "node:path";

const ROOT = process.cwd();
const APP = path.join(ROOT, "app");
const SAMPLE_ID = "00000000-0000-4000-8000-000000000000";

function walk(dir: string, name: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return walk(full, name);
    return entry.name === name ? [full] : [];
  });
}

/** `app/(dashboard)/history/[id]/page.tsx` → `/history/<sample id>`. */
function urlPathOf(file: string): string {
  const segments = path
    .relative(APP, path.dirname(file))
    .split(path.sep)
    .filter((segment) => segment && !/^\(.*\)$/.test(segment))
    .map((segment) => (/^\[\.\.\..+\]$/.test(segment) ? "files/index" : /^\[.+\]$/.test(segment) ? SAMPLE_ID : segment));
  return `/${segments.join("/")}`;
}

export type RouteEndpoint = { file: string; url: string; method: string };

/** Every exported HTTP method of every route handler under app/. */
export function routeEndpoints(): RouteEndpoint[] {
  return walk(APP, "route.ts").flatMap((file) => {
    const source = fs.readFileSync(file, "utf8");
    const methods = [...source.matchAll(/export\s+(?:const|async\s+function|function)\s+(GET|POST|PUT|PATCH|DELETE)\b/g)].map((m) => m[1]!);
    return methods.map((method) => ({ file: path.relative(ROOT, file), url: urlPathOf(file), method }));
  });
}

/** Every page under app/. */
export function pagePaths(): { file: string; url: string }[] {
  return walk(APP, "page.tsx").map((file) => ({ file: path.relative(ROOT, file), url: urlPathOf(file) }));
}

export type ServerActionEntry = { id: string; file: string; name: string; pageUrl: string };

/** Every server action the build knows, with a page whose bundle can run it (from Next's manifest). */
export function serverActions(): ServerActionEntry[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, ".next/server/server-reference-manifest.json"), "utf8")) as {
    node: Record<string, { workers: Record<string, unknown>; filename: string; exportedName: string }>;
  };
  return Object.entries(manifest.node).map(([id, entry]) => {
    const worker = Object.keys(entry.workers)[0]!;
    return { id, file: entry.filename, name: entry.exportedName, pageUrl: urlPathOf(path.join(APP, `${worker}.tsx`)) };
  });
}

/** Calls a server action the way React does (arguments as a JSON array) and returns the RSC text. */
export async function callServerAction(
  request: { post: (url: string, options: { headers: Record<string, string>; data: string }) => Promise<{ text(): Promise<string>; status(): number }> },
  baseURL: string,
  action: ServerActionEntry,
  args: unknown[],
): Promise<{ status: number; text: string }> {
  const response = await request.post(action.pageUrl, {
    headers: { "next-action": action.id, accept: "text/x-component", origin: baseURL, "content-type": "text/plain;charset=UTF-8" },
    data: JSON.stringify(args),
  });
  return { status: response.status(), text: await response.text() };
}
