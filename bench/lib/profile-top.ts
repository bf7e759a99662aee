/**
 * Where a CPU profile of the server (BENCH_PROFILE=1, bench/lib/server-probe.mjs) spent its time:
 * `node --import tsx bench/lib/profile-top.ts <file.cpuprofile> [rows] [focus]` prints the functions with
 * the most self time and the most inclusive time (the function and everything it called); with
 * `focus` (a piece of a frame's name or source, e.g. "service.ts:180"), only what ran below the
 * outermost frame matching it. For reading by a person; the bench itself does not depend on it.
 */
import fs from "node:fs";
import { SourceMap } from "node:module";
import { fileURLToPath } from "node:url";

type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }; children?: number[] };
type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number };

const [file, rowsArg, focus] = process.argv.slice(2);
if (!file) throw new Error("usage: profile-top.ts <file.cpuprofile> [rows]");
const rows = Number(rowsArg ?? 30);
const profile = JSON.parse(fs.readFileSync(file, "utf8")) as Profile;

const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

const short = (url: string) => url.replace(/^.*\/(node_modules\/|\.next\/)/, "$1").replace(/^file:\/\//, "");

// The server's chunks are minified: their source maps (next build writes them beside the chunks) give
// each frame back its source file and line.
const maps = new Map<string, SourceMap | null>();
function mapOf(url: string): SourceMap | null {
  if (!maps.has(url)) {
    let map: SourceMap | null = null;
    try {
      const file = url.startsWith("file://") ? fileURLToPath(url) : url;
      if (file.includes("/.next/") && fs.existsSync(`${file}.map`)) map = new SourceMap(JSON.parse(fs.readFileSync(`${file}.map`, "utf8")));
    } catch {
      map = null;
    }
    maps.set(url, map);
  }
  return maps.get(url)!;
}
const keyOf = (node: Node) => {
  const { functionName, url, lineNumber, columnNumber } = node.callFrame;
  const entry = mapOf(url)?.findEntry(lineNumber, columnNumber) as { originalSource?: string; originalLine?: number; name?: string } | undefined;
  if (entry?.originalSource) {
    const source = entry.originalSource.replace(/^.*\[project\]\//, "").replace(/^turbopack:\/\/\/?/, "");
    return `${entry.name ?? functionName ?? "(anonymous)"} ${source}:${(entry.originalLine ?? 0) + 1}`;
  }
  return `${functionName || "(anonymous)"} ${short(url)}:${lineNumber + 1}`;
};

const self = new Map<string, number>();
const inclusive = new Map<string, number>();
let total = 0;
let focused = 0;
/** With a focus: time by the frame called directly from the focus frame (its own code: "(self)"). */
const children = new Map<string, number>();
profile.samples.forEach((id, i) => {
  const ms = (profile.timeDeltas[i] ?? 0) / 1000;
  total += ms;
  const stack: string[] = [];
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) stack.push(keyOf(byId.get(at)!));
  let frames = stack;
  if (focus) {
    const outermost = stack.findLastIndex((key) => key.includes(focus));
    if (outermost < 0) return;
    frames = stack.slice(0, outermost + 1);
    focused += ms;
    const child = outermost > 0 ? stack[outermost - 1]! : "(self)";
    children.set(child, (children.get(child) ?? 0) + ms);
  }
  self.set(frames[0]!, (self.get(frames[0]!) ?? 0) + ms);
  for (const key of new Set(frames)) inclusive.set(key, (inclusive.get(key) ?? 0) + ms);
});
if (focus) console.log(`under "${focus}": ${(focused / 1000).toFixed(2)} s`);

const idle = [...self].filter(([key]) => key.startsWith("(idle)")).reduce((sum, [, ms]) => sum + ms, 0);
console.log(`${file}: ${(total / 1000).toFixed(2)} s sampled, ${(idle / 1000).toFixed(2)} s idle, ${((total - idle) / 1000).toFixed(2)} s busy`);
const print = (title: string, map: Map<string, number>) => {
  console.log(`\n${title}`);
  for (const [key, ms] of [...map].filter(([key]) => !key.startsWith("(idle)") && !key.startsWith("(root)")).sort((a, b) => b[1] - a[1]).slice(0, rows)) {
    console.log(`${ms.toFixed(0).padStart(7)} ms ${((ms / (total - idle)) * 100).toFixed(1).padStart(5)} %  ${key}`);
  }
};
if (focus) print(`called directly from the focus frame`, children);
print("self time", self);
print("inclusive time", inclusive);
