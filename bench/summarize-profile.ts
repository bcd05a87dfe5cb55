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

/** The checkout's root as a file URL: the project's own files are named relative to it. */
const ROOT = new URL("..", import.meta.url).href;

/** A call frame's file, shortened: "npm:<package>", "node:<module>", a path in the checkout, or "(native/V8)". */
export function bucket(url: string): string {
  if (url === "") return "(native/V8)";
  const nm = url.lastIndexOf("node_modules/");
  if (nm !== -1) {
    const rest = url.slice(nm + "node_modules/".length).split("/");
    return `npm:${rest[0]!.startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0]}`;
  }
  if (url.startsWith("node:")) return url;
  return url.startsWith(ROOT) ? url.slice(ROOT.length) : url.replace(/^file:\/\//, "");
}

interface SelfTimes {
  profile: Profile;
  byId: Map<number, ProfileNode>;
  /** Self µs per profile node. */
  self: Map<number, number>;
  /** Self µs per "function  file:line" and per file or package ("(garbage collector)" on its own). */
  fn: Map<string, number>;
  files: Map<string, number>;
  busy: number;
  idle: number;
}

function readSelfTimes(file: string): SelfTimes {
  const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) self.set(profile.samples[i]!, (self.get(profile.samples[i]!) ?? 0) + (profile.timeDeltas[i] ?? 0));
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
  return { profile, byId, self, fn, files, busy, idle };
}

/**
 * Two targets' profiles side by side, in CPU µs per request: each profile's
 * busy time is split in proportion to its samples, scaled to the target's
 * measured CPU per request, and the rows are sorted by how much more the
 * second spends. `npm run bench -- --profile modelmux-node --against floor-node`.
 */
export function compareProfiles(a: { name: string; file: string; cpuUsPerReq: number }, b: { name: string; file: string; cpuUsPerReq: number }, top = 30): string[] {
  const ta = readSelfTimes(a.file);
  const tb = readSelfTimes(b.file);
  // Each profile's busy time split in proportion to its samples, scaled to the target's measured CPU per request.
  const perRequest = (m: Map<string, number>, busy: number, cpuUsPerReq: number) => new Map([...m].map(([k, us]) => [k, (us / busy) * cpuUsPerReq]));
  const side = { top, digits: 1, unit: "CPU µs per request" };
  return [
    `${a.name}: ${a.cpuUsPerReq.toFixed(0)} µs CPU/request (${a.file})`,
    `${b.name}: ${b.cpuUsPerReq.toFixed(0)} µs CPU/request (${b.file})`,
    ...sideBySide("Self time by file or package", [a.name, b.name], perRequest(ta.files, ta.busy, a.cpuUsPerReq), perRequest(tb.files, tb.busy, b.cpuUsPerReq), side),
    ...sideBySide("Self time by function", [a.name, b.name], perRequest(ta.fn, ta.busy, a.cpuUsPerReq), perRequest(tb.fn, tb.busy, b.cpuUsPerReq), side),
  ];
}

/**
 * Two targets' figures per request, row by row (a function, a file), sorted
 * by how much more the second spends: the profile and allocation modes'
 * `--against` tables.
 */
export function sideBySide(title: string, names: [string, string], ma: Map<string, number>, mb: Map<string, number>, opts: { top: number; digits: number; unit: string }): string[] {
  const rows = [...new Set([...ma.keys(), ...mb.keys()])].map((k) => ({ k, ua: ma.get(k) ?? 0, ub: mb.get(k) ?? 0 }));
  rows.sort((x, y) => y.ub - y.ua - (x.ub - x.ua));
  const f = (v: number) => v.toFixed(opts.digits).padStart(8);
  return ["", `${title}, ${opts.unit}: ${names[0]}, ${names[1]}, difference`, ...rows.slice(0, opts.top).map((r) => `  ${f(r.ua)}${f(r.ub)}${f(r.ub - r.ua)}  ${r.k}`)];
}

export function summarizeProfile(file: string, top = 30): string[] {
  const { profile: p, byId, self, fn, files, busy, idle } = readSelfTimes(file);
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
