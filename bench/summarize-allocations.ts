/**
 * Reads a V8 sampling heap profile written by `--alloc`
 * (servers/sample-allocations.ts, freed objects counted) and prints what a
 * request allocates: bytes per request in all, by file or package and by
 * allocating function; with a second target, the two side by side.
 */
import { readFileSync } from "node:fs";
import { bucket, sideBySide } from "./summarize-profile.js";

interface HeapNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: HeapNode[];
}

/** One target's sampled allocations over a measured load run. */
export interface AllocationRun {
  name: string;
  file: string;
  /** Responses the server finished while the profiler sampled. */
  requests: number;
}

interface PerRequest {
  total: number;
  fn: Map<string, number>;
  files: Map<string, number>;
}

function readAllocations(run: AllocationRun): PerRequest {
  const head = (JSON.parse(readFileSync(run.file, "utf8")) as { head: HeapNode }).head;
  const fn = new Map<string, number>();
  const files = new Map<string, number>();
  let total = 0;
  const add = (m: Map<string, number>, k: string, bytes: number) => m.set(k, (m.get(k) ?? 0) + bytes / run.requests);
  const stack: HeapNode[] = [head];
  while (stack.length > 0) {
    const n = stack.pop()!;
    stack.push(...n.children);
    if (n.selfSize === 0) continue;
    total += n.selfSize / run.requests;
    const file = bucket(n.callFrame.url);
    add(fn, `${n.callFrame.functionName || "(anonymous)"}  ${file}:${n.callFrame.lineNumber + 1}`, n.selfSize);
    add(files, file, n.selfSize);
  }
  return { total, fn, files };
}

export function summarizeAllocations(run: AllocationRun, top = 30): string[] {
  const a = readAllocations(run);
  const rows = (m: Map<string, number>, n: number) => [...m].sort((x, y) => y[1] - x[1]).slice(0, n).map(([k, b]) => `  ${b.toFixed(0).padStart(7)} B  ${k}`);
  return [
    `${run.name}: ${(a.total / 1024).toFixed(1)} KB allocated per request (${run.requests} requests sampled; ${run.file})`,
    "",
    "Bytes per request by file or package:",
    ...rows(a.files, 20),
    "",
    "Bytes per request by allocating function:",
    ...rows(a.fn, top),
  ];
}

export function compareAllocations(a: AllocationRun, b: AllocationRun, top = 30): string[] {
  const ta = readAllocations(a);
  const tb = readAllocations(b);
  const side = { top, digits: 0, unit: "bytes allocated per request" };
  return [
    `${a.name}: ${(ta.total / 1024).toFixed(1)} KB allocated per request (${a.requests} requests sampled; ${a.file})`,
    `${b.name}: ${(tb.total / 1024).toFixed(1)} KB allocated per request (${b.requests} requests sampled; ${b.file})`,
    ...sideBySide("By file or package", [a.name, b.name], ta.files, tb.files, side),
    ...sideBySide("By allocating function", [a.name, b.name], ta.fn, tb.fn, side),
  ];
}
