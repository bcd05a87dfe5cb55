/**
 * The printed tables: each figure per target, and for modelmux its ratio to
 * the floors measured in the same run (E = the naive Express proxy,
 * N = bare node:http), plus pass/fail against issue 7's targets.
 */
import { CELLS, type CellName, type CellSummary, type MatrixResult } from "./run-matrix.js";
import { TARGET_LABELS, type TargetName } from "./targets.js";

export interface Verdict {
  target: string;
  value: string;
  pass: boolean;
}

const pad = (s: string, n: number) => s.padEnd(n);
const lpad = (s: string, n: number) => s.padStart(n);

function fmt(n: number, digits = 0): string {
  if (!Number.isFinite(n)) return "-";
  return n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function table(
  title: string,
  m: MatrixResult,
  pick: (c: CellSummary) => number,
  digits: number,
  withRatios: boolean,
): string[] {
  const names = Object.keys(m.summary) as TargetName[];
  const col = withRatios ? 24 : 12;
  const lines = [`${pad(title, 44)}${CELLS.map((c) => lpad(c.label, col)).join("")}`];
  for (const name of names) {
    const cells = CELLS.map((c) => {
      const s = m.summary[name]?.[c.name];
      if (!s) return lpad("-", col);
      const v = fmt(pick(s), digits);
      if (!withRatios || !name.startsWith("modelmux")) return lpad(v, col);
      const e = m.summary["floor-express"]?.[c.name];
      const n = m.summary["floor-node"]?.[c.name];
      const ratio = (f?: CellSummary) => (f ? `${(pick(s) / pick(f)).toFixed(2)}` : "-");
      return lpad(`${v} (${ratio(e)}E ${ratio(n)}N)`, col);
    });
    lines.push(`${pad(`  ${TARGET_LABELS[name]}`, 44)}${cells.join("")}`);
  }
  return lines;
}

export function formatMatrix(m: MatrixResult, peakRss: Partial<Record<TargetName, number>>): string[] {
  const out: string[] = [];
  out.push(...table("CPU µs per request (server process)", m, (c) => c.cpuUsPerReq, 0, true));
  out.push("");
  out.push(...table("Throughput, req/s", m, (c) => c.rps, 0, true));
  out.push("");
  out.push(...table("Latency p50, ms", m, (c) => c.p50Ms, 2, true));
  out.push("");
  out.push(...table("Latency p99, ms", m, (c) => c.p99Ms, 2, true));
  out.push("");
  out.push(...table("CPU µs/request spread over reps (min-max)", m, () => 0, 0, false).slice(0, 1));
  for (const name of Object.keys(m.summary) as TargetName[]) {
    const cells = CELLS.map((c) => {
      const s = m.summary[name]?.[c.name];
      return lpad(s ? `${fmt(s.cpuRange[0])}-${fmt(s.cpuRange[1])}` : "-", 12);
    });
    out.push(`${pad(`  ${TARGET_LABELS[name]}`, 44)}${cells.join("")}`);
  }

  if (Object.keys(m.ttfc).length > 0) {
    out.push("");
    out.push(`${pad("Time to first chunk, c=1 (slow-tail stream)", 44)}${["p50 ms", "p90 ms", "added p50", "whole p50", "events"].map((h) => lpad(h, 12)).join("")}`);
    for (const [name, t] of Object.entries(m.ttfc)) {
      const label = name === "direct" ? "direct to the mock upstream" : TARGET_LABELS[name as TargetName];
      const added = name === "direct" ? "" : formatAdded(addedMs(m, name as TargetName));
      out.push(`${pad(`  ${label}`, 44)}${[t.p50Ms.toFixed(2), t.p90Ms.toFixed(2), added, t.totalP50Ms.toFixed(2), String(t.events)].map((v) => lpad(v, 12)).join("")}`);
    }
  }

  out.push("");
  out.push(`${pad("Peak RSS, MB (whole run)", 44)}`);
  const floorRss = peakRss["floor-express"];
  for (const [name, rss] of Object.entries(peakRss)) {
    const ratio = name.startsWith("modelmux") && floorRss ? ` (${(rss / floorRss).toFixed(2)}E)` : "";
    out.push(`${pad(`  ${TARGET_LABELS[name as TargetName]}`, 44)}${lpad(`${fmt(rss / 1048576)}${ratio}`, 24)}`);
  }
  const errors = Object.entries(m.summary).flatMap(([name, cells]) =>
    Object.entries(cells ?? {}).filter(([, s]) => s.non2xx + s.errors > 0).map(([cell, s]) => `${name} ${cell}: ${s.non2xx} non-2xx, ${s.errors} errors`),
  );
  if (errors.length > 0) out.push("", "WARNING: failed responses during measurement (figures are suspect):", ...errors.map((e) => `  ${e}`));
  return out;
}

const cpu = (m: MatrixResult, t: TargetName, c: CellName) => m.summary[t]?.[c]?.cpuUsPerReq ?? Number.NaN;

/**
 * The ratio within each rep, where the two targets were measured seconds
 * apart: on a shared machine one target's CPU per request moved by up to 2x
 * from one rep to the next, so a verdict's ratio of medians is printed with
 * these, and a reader sees whether it is near the line or far from it.
 */
function perRepRatios(m: MatrixResult, a: TargetName, b: TargetName, cell: CellName): string {
  const of = (t: TargetName, rep: number) => m.samples.find((x) => x.target === t && x.cell === cell && x.rep === rep)?.cpuUsPerReq;
  const reps = [...new Set(m.samples.map((x) => x.rep))].sort((x, y) => x - y);
  const ratios = reps.map((rep) => (of(a, rep) ?? Number.NaN) / (of(b, rep) ?? Number.NaN)).filter(Number.isFinite);
  return ratios.length > 1 ? ` (per rep: ${ratios.map((r) => r.toFixed(2)).join(", ")})` : "";
}

/** A target's median time to first chunk over the median directly to the mock, ms (undefined when either was not measured). */
function addedMs(m: MatrixResult, name: TargetName): number | undefined {
  const direct = m.ttfc.direct;
  const t = m.ttfc[name];
  return direct && t ? t.p50Ms - direct.p50Ms : undefined;
}

const formatAdded = (ms: number | undefined) => (ms === undefined ? "" : `+${ms.toFixed(2)}`);

/** The added time to first chunk of a floor, for context: on a slow machine the floors themselves come near the 1 ms line. */
function floorsAdded(m: MatrixResult): string {
  const floors = (["floor-express", "floor-node"] as const).flatMap((f) => {
    const added = addedMs(m, f);
    return added === undefined ? [] : [`${f === "floor-express" ? "Express floor" : "node:http floor"} ${formatAdded(added)}`];
  });
  return floors.length > 0 ? ` (${floors.join(", ")})` : "";
}

/** The cells in the order the verdicts list them: the c=64 ones first. */
const VERDICT_CELLS = (["json-c64", "sse-c64", "json-c1", "sse-c1"] as const).map((name) => CELLS.find((c) => c.name === name)!);

/** Issue 7's targets that the matrix and TTFC can decide. */
export function matrixVerdicts(m: MatrixResult): Verdict[] {
  const v: Verdict[] = [];
  /** `a`'s CPU per request over `b`'s in one cell, judged against `limit`; no verdict when either was not measured. */
  const cpuRatio = (a: TargetName, b: TargetName, cell: CellName, target: string, limit: number) => {
    const r = cpu(m, a, cell) / cpu(m, b, cell);
    if (Number.isFinite(r)) v.push({ target, value: `${r.toFixed(2)}x${perRepRatios(m, a, b, cell)}`, pass: r <= limit });
  };
  for (const { name, label } of VERDICT_CELLS) cpuRatio("modelmux-express", "floor-express", name, `modelmux in Express, ${label}: CPU/request <= 1.0x the Express floor`, 1.0);
  for (const cell of ["json-c64", "sse-c64"] as const) cpuRatio("modelmux-koa", "modelmux-express", cell, `modelmux in Koa, ${cell}: CPU/request within 1.2x of modelmux in Express`, 1.2);
  // Express on a server from createServerOptions (README): judged against the floor as the issue mounts it, and against the floor on the same server.
  for (const { name, label } of VERDICT_CELLS) {
    cpuRatio("modelmux-express-preset", "floor-express", name, `modelmux in Express on createServerOptions, ${label}: CPU/request <= 1.0x the Express floor`, 1.0);
    cpuRatio("modelmux-express-preset", "floor-express-preset", name, `modelmux in Express on createServerOptions, ${label}: CPU/request <= 1.0x the Express floor on the same preset server`, 1.0);
  }
  for (const name of ["modelmux-express", "modelmux-koa", "modelmux-express-preset"] as const) {
    const t = m.ttfc[name];
    const added = addedMs(m, name);
    if (t && added !== undefined) {
      v.push({ target: `${name}: added time to first chunk at c=1 <= 1 ms`, value: `${formatAdded(added)} ms${floorsAdded(m)}`, pass: added <= 1 });
      // The upstream pauses after its first event; a buffering gateway would deliver the first chunk after the pause.
      v.push({ target: `${name}: no buffering (first chunk before the upstream's pause ends)`, value: `${t.p50Ms.toFixed(2)} ms vs whole ${t.totalP50Ms.toFixed(2)} ms`, pass: t.p50Ms < t.totalP50Ms / 2 });
    }
  }
  return v;
}

export function formatVerdicts(verdicts: Verdict[]): string[] {
  return verdicts.map((x) => `  [${x.pass ? "PASS" : "FAIL"}] ${x.target}: ${x.value}`);
}

/**
 * Whether each Express-hosted server's `req` and `res` (and those of
 * modelmux in front of Express, `modelmux-node`) kept one hidden class from
 * request to request at the end of the run (V8's own check).
 * The Express floor never does (Express's prototype swap); modelmux's
 * adapter restores one, except in processes where V8's normalized map
 * cache lost the slot, which then cost more per request.
 */
export function formatSharedMaps(targets: Array<{ name: TargetName; maps?: { req: boolean; res: boolean } }>): string[] {
  const shown = targets.filter((t) => t.maps && (t.name.includes("express") || t.name === "modelmux-node"));
  if (shown.length === 0) return [];
  const yes = (b: boolean) => (b ? "yes" : "no");
  return [
    "",
    "One hidden class for every request's req / res (V8 %HaveSameMap, last requests of the run)",
    ...shown.map((t) => `${pad(`  ${TARGET_LABELS[t.name]}`, 52)}req ${yes(t.maps!.req)}, res ${yes(t.maps!.res)}${t.name === "modelmux-express" && !(t.maps!.req && t.maps!.res) ? "  (this process lost V8's cache slot: its Express figures are higher than usual)" : ""}`),
  ];
}
