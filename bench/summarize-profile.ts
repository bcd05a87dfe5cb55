/**
 * Reads a V8 .cpuprofile (node --cpu-prof) and prints where the time went:
 * self time by function and by file or package, as a share of the busy
 * (non-idle) samples. Usable alone: `tsx bench/summarize-profile.ts file`.
 */
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function bucket(url: string): string {
  if (url === "") return "(native/V8)";
  const nm = url.lastIndexOf("node_modules/");
  if (nm !== -1) {
    const rest = url.slice(nm + "node_modules/".length).split("/");
    return `npm:${rest[0]!.startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0]}`;
  }
  if (url.startsWith("node:")) return url;
  const i = url.indexOf("/work/main/");
  return i !== -1 ? url.slice(i + "/work/main/".length) : url.replace(/^file:\/\//, "");
}

export function summarizeProfile(file: string, top = 30): string[] {
  const p = JSON.parse(readFileSync(file, "utf8")) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) self.set(p.samples[i]!, (self.get(p.samples[i]!) ?? 0) + (p.timeDeltas[i] ?? 0));
  const fn = new Map<string, number>();
  const files = new Map<string, number>();
  let busy = 0;
  let idle = 0;
  for (const [id, us] of self) {
    const n = byId.get(id)!;
    const name = n.callFrame.functionName || "(anonymous)";
    if (name === "(idle)" || name === "(program)") {
      idle += us;
      continue;
    }
    busy += us;
    const key = `${name}  ${bucket(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
    fn.set(key, (fn.get(key) ?? 0) + us);
    const b = name === "(garbage collector)" ? "(garbage collector)" : bucket(n.callFrame.url);
    files.set(b, (files.get(b) ?? 0) + us);
  }
  const pct = (us: number) => `${((us / busy) * 100).toFixed(1).padStart(5)}%`;
  const out = [`${file}`, `busy ${(busy / 1000).toFixed(0)} ms, idle/program ${(idle / 1000).toFixed(0)} ms`, "", "Self time by file or package:"];
  for (const [k, v] of [...files].sort((a, b) => b[1] - a[1]).slice(0, 25)) out.push(`  ${pct(v)}  ${k}`);
  out.push("", "Self time by function:");
  for (const [k, v] of [...fn].sort((a, b) => b[1] - a[1]).slice(0, top)) out.push(`  ${pct(v)}  ${k}`);

  // Inclusive time of the project's own functions (src/, adapters/, or dist/ as the bench loads it): what each step costs with what it calls
  // (SQLite, JSON, zod, undici show up under the step that called them).
  const inclusive = new Map<string, number>();
  const root = p.nodes[0]!;
  const walk = (node: ProfileNode, stack: Set<string>) => {
    const url = bucket(node.callFrame.url);
    const mine = url.startsWith("src/") || url.startsWith("adapters/") || url.startsWith("dist/") || url.startsWith("bench/");
    const key = `${node.callFrame.functionName || "(anonymous)"}  ${url}:${node.callFrame.lineNumber + 1}`;
    const added = mine && !stack.has(key);
    if (added) stack.add(key);
    const us = self.get(node.id) ?? 0;
    if (us > 0) for (const k of stack) inclusive.set(k, (inclusive.get(k) ?? 0) + us);
    for (const c of node.children ?? []) walk(byId.get(c)!, stack);
    if (added) stack.delete(key);
  };
  walk(root, new Set());
  out.push("", "Inclusive time of project functions (self + callees):");
  for (const [k, v] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, top)) out.push(`  ${pct(v)}  ${k}`);
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  for (const f of process.argv.slice(2)) console.log(summarizeProfile(f).join("\n"));
}
