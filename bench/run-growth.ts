/**
 * Cost growth. Scale: the same traffic against a small catalogue and store
 * and against 10,000 models and up to 1,000,000 keys; per-request CPU must
 * not move (lookups are O(1) or O(log n)). Requests rotate over 20,000
 * keys, more than the gateway's key cache holds, so every request reaches
 * the store. Size: a growing conversation and a growing body; the marginal
 * cost per message and per KB must stay flat (linear, not worse).
 */
import type { ServerHandle } from "./child-process.js";
import { bulkSecret, chatBody } from "./fixtures.js";
import type { LoadRequest } from "./load/load-spec.js";
import type { LoadTool } from "./load/run-load.js";
import { measureCell, type CellMeasure } from "./measure-cell.js";
import { measurePages, type PageTimes } from "./measure-pages.js";
import type { Verdict } from "./report.js";
import { median } from "./stats.js";
import { chatUrl, startTarget, type Target } from "./targets.js";

/**
 * The body size below the largest (1 MB) in the linear-growth check: 256 KB,
 * above the step every Node proxy takes at 128 KB. V8 keeps a string longer
 * than that (its kMaxRegularHeapObjectSize) in pages of its own, mapped from
 * the kernel for that string and unmapped when it dies, so each 4 KB of it
 * costs a page fault; below 128 KB strings reuse the young generation's
 * pages. Measured on the 2-core VM (2026-11-24): the Express floor's extra
 * CPU per KB was 3.3 µs up to 100 KB and 14-19 µs from 256 KB to 1 MB, with
 * about 810 minor faults per 1 MB request (1 per 100 KB request), the same
 * in modelmux; a plain JSON.parse of a 130 KB body took 757 µs against 43 µs
 * at 100 KB. A check across the step measures the step once, not growth;
 * the size table shows it (flt).
 */
export const LARGE_OBJECT_BODY = 262_144;

/**
 * The conversation length below the largest (1,000 messages) in the
 * linear-growth check: 300. At c=4 a 100-message request cost 36-123 µs
 * more than a 1-message one in the runs of 2026-11-24 (8-38%), so noise
 * could bring it within 5% of the smallest and leave the check unmeasured;
 * 300 messages add about three times that (0.7-1 µs a message).
 */
export const MESSAGES_BELOW_LARGEST = 300;

export interface GrowthOptions {
  tool: LoadTool;
  dir: string;
  upstreamBase: string;
  keys: number;
  models: number;
  activeKeys: number;
  /** The gateway's key cache size (default the gateway's 10,000); `activeKeys` must be larger, so every request misses it. */
  keyCacheMax?: number;
  durationSec: number;
  reps: number;
  /** Interleaved measurements per body size after its warm-up (the least CPU per request kept), and how long each lasts. */
  sizeReps: number;
  sizeDurationSec: number;
  messages: number[];
  bytes: number[];
  log: (line: string) => void;
}

export interface GrowthResult {
  scale: { small: { models: number; keys: number; cpuUsPerReq: number; rps: number }; large: { models: number; keys: number; cpuUsPerReq: number; rps: number }; ratio: number; samples: Array<{ which: string } & CellMeasure> };
  size: Record<string, Array<{ kind: "messages" | "bytes"; x: number; bodyBytes: number; cpuUsPerReq: number; faultsPerReq: number; rps: number; non2xx: number }>>;
  pages: { small: PageTimes; large: PageTimes };
  verdicts: Verdict[];
  lines: string[];
}

export async function runGrowth(mock: ServerHandle, opts: GrowthOptions): Promise<GrowthResult> {
  const { log } = opts;
  const lines: string[] = [];
  const verdicts: Verdict[] = [];

  // --- scale ---
  log(`growth: starting a small gateway (2 models, ${opts.activeKeys} keys) and a large one (${opts.models} models, ${opts.keys} keys)`);
  const cache = opts.keyCacheMax ?? 10_000;
  if (opts.activeKeys <= cache) throw new Error(`growth: ${opts.activeKeys} keys in rotation would fit the key cache (${cache}): requests would not reach the store`);
  const { keyCacheMax } = opts;
  const small = await startTarget("modelmux-express", opts.upstreamBase, { dir: opts.dir, label: "growth-small", gateway: { bulkKeys: opts.activeKeys, keyCacheMax } });
  const large = await startTarget("modelmux-express", opts.upstreamBase, { dir: opts.dir, label: "growth-large", gateway: { bulkKeys: opts.keys, extraModels: opts.models, keyCacheMax } });
  const body = chatBody();
  const rotating: LoadRequest[] = [];
  for (let i = 0; i < opts.activeKeys; i++) rotating.push({ body, headers: { "content-type": "application/json", authorization: `Bearer ${bulkSecret(i)}` } });
  const spec = (t: Target, durationSec: number) => ({ url: chatUrl(t.server), connections: 64, durationSec, requests: rotating });
  // Fresh processes: warm the JIT, and send at least one request per active key (the load generator takes
  // them in turn) so both stores have read every key's pages once before the first measured rep. With a
  // fixed 3 s warm-up, the large store was still reading pages for the first time through the measured
  // reps, and its CPU per request came out 12-13% over the small one's in two default runs; with every key
  // read first, the same pair measured 0.70x. Bounded: 10 rounds of 3 s.
  // At least three rounds (9 s) each, whatever the keys: with one round, the 2,000 keys of the default run were
  // all read, but both processes still grew cheaper through the measured reps (small 1,000, 732, 618 µs;
  // large 1,020, 971, 737) and the check failed at 1.33x.
  for (const t of [small, large]) {
    let sent = 0;
    for (let round = 0; round < 10 && (round < 3 || sent < opts.activeKeys); round++) sent += (await measureCell(opts.tool, t.server, mock, spec(t, 3))).requests;
  }
  const samples: GrowthResult["scale"]["samples"] = [];
  for (let rep = 0; rep < opts.reps; rep++) {
    for (const [which, t] of (rep % 2 === 0 ? [["small", small], ["large", large]] : [["large", large], ["small", small]]) as Array<[string, Target]>) {
      const m = await measureCell(opts.tool, t.server, mock, spec(t, opts.durationSec));
      samples.push({ which, ...m });
      log(`growth scale rep ${rep + 1}/${opts.reps} ${which.padEnd(5)} ${m.rps.toFixed(0).padStart(6)} req/s ${m.cpuUsPerReq.toFixed(0).padStart(5)} µs CPU/req${m.non2xx ? ` (${m.non2xx} non-2xx)` : ""}`);
    }
  }
  const pick = (which: string) => samples.filter((s) => s.which === which);
  const smallCpu = median(pick("small").map((s) => s.cpuUsPerReq));
  const largeCpu = median(pick("large").map((s) => s.cpuUsPerReq));
  const scale = {
    small: { models: 2, keys: opts.activeKeys + 1, cpuUsPerReq: smallCpu, rps: median(pick("small").map((s) => s.rps)) },
    large: { models: opts.models + 2, keys: opts.keys + 1, cpuUsPerReq: largeCpu, rps: median(pick("large").map((s) => s.rps)) },
    ratio: largeCpu / smallCpu,
    samples,
  };
  const scaleErrors = samples.reduce((a, s) => a + s.non2xx + s.errors, 0);
  lines.push(
    `Cost growth, scale (JSON c=64, ${fmtN(opts.activeKeys)} keys in rotation, key cache ${fmtN(cache)}: every request misses it)`,
    `  ${"small: 2 models, " + fmtN(scale.small.keys) + " keys"}`.padEnd(56) + `${smallCpu.toFixed(0).padStart(6)} µs CPU/req ${scale.small.rps.toFixed(0).padStart(7)} req/s`,
    `  ${"large: " + fmtN(scale.large.models) + " models, " + fmtN(scale.large.keys) + " keys"}`.padEnd(56) + `${largeCpu.toFixed(0).padStart(6)} µs CPU/req ${scale.large.rps.toFixed(0).padStart(7)} req/s   ratio ${scale.ratio.toFixed(2)}x`,
  );
  verdicts.push({ target: `${fmtN(opts.models)} models / ${fmtN(opts.keys)} keys: CPU/request within 10% of the small figure`, value: `${scale.ratio.toFixed(2)}x`, pass: scale.ratio <= 1.1 && scaleErrors === 0 });

  // --- admin pages in both stores (the usage rows are the ones the load above wrote) ---
  const pages = { small: await measurePages(small.db!), large: await measurePages(large.db!) };
  const ms = (n: number) => `${n.toFixed(2)} ms`.padStart(9);
  lines.push("", `Admin pages (100 rows, median of 15 reads): keys first / last page, usage newest / oldest page`);
  for (const [which, p] of Object.entries(pages)) {
    lines.push(`  ${which.padEnd(5)} ${fmtN(p.keys).padStart(9)} keys ${ms(p.firstKeys)} ${ms(p.lastKeys)}   ${fmtN(p.usageRows).padStart(9)} usage rows ${ms(p.newestUsage)} ${ms(p.oldestUsage)}`);
  }
  const keyPages = pages.large.lastKeys / pages.small.lastKeys;
  const deepUsage = pages.large.oldestUsage / pages.large.newestUsage;
  // 3x: room for a deeper tree and the noise of sub-millisecond reads; a page that scans or sorts the list runs 10-100x.
  verdicts.push({ target: `admin pages: the last page of ${fmtN(opts.keys)} keys within 3x of the last of ${fmtN(opts.activeKeys)}`, value: `${keyPages.toFixed(2)}x`, pass: keyPages <= 3 });
  verdicts.push({ target: `admin pages: the oldest page of ${fmtN(pages.large.usageRows)} usage rows within 3x of the newest`, value: `${deepUsage.toFixed(2)}x`, pass: deepUsage <= 3 });
  await Promise.all([large.server.stop()]);

  // --- size ---
  const floor = await startTarget("floor-express", opts.upstreamBase, { dir: opts.dir, label: "growth-floor" });
  const size: GrowthResult["size"] = {};
  const points = [
    ...opts.messages.map((n) => ({ kind: "messages" as const, x: n, body: chatBody({ messages: n }) })),
    ...opts.bytes.map((b) => ({ kind: "bytes" as const, x: b, body: chatBody({ bytes: b }) })),
  ];
  // Each size warmed once (1 s), then measured in interleaved reps (each walks the sizes, the two targets
  // taking turns), and the least CPU per request of the reps kept. Noise on this VM only adds time, and it
  // moved single measurements by half: with one 2 s measurement per size, the default run of 2026-11-24 03:01
  // measured 1 message at 456 µs against 321 in a scratch curve taken just after, and the 1,000-message check
  // failed at 1.70x against 0.87x in the curve. Without the warm-up, the first rep of a size ran up to 1.9x
  // the last (a fresh floor process, and modelmux coming from the scale phase's traffic).
  const sizeTargets = [
    { name: "modelmux-express", t: small, headers: { ...small.headers, authorization: `Bearer ${String(small.server.info.key)}` } },
    { name: "floor-express", t: floor, headers: floor.headers },
  ];
  const sizeSpec = (target: (typeof sizeTargets)[number], body: string, durationSec: number) =>
    ({ url: chatUrl(target.t.server), connections: 4, durationSec, requests: [{ body, headers: target.headers }] });
  // The smallest request of both series is the same body (one message, no padding): measured once, for both.
  const bodies = [...new Set(points.map((p) => p.body))];
  const label = new Map(bodies.map((b) => [b, points.filter((p) => p.body === b).map((p) => `${p.kind}=${p.x}`).join(", ")]));
  for (const target of sizeTargets) for (const b of bodies) await measureCell(opts.tool, target.t.server, mock, sizeSpec(target, b, 1));
  const measured = new Map<string, CellMeasure[]>();
  for (let rep = 0; rep < opts.sizeReps; rep++) {
    for (const b of bodies) {
      for (const target of rep % 2 === 0 ? sizeTargets : [...sizeTargets].reverse()) {
        const m = await measureCell(opts.tool, target.t.server, mock, sizeSpec(target, b, opts.sizeDurationSec));
        const key = `${target.name} ${bodies.indexOf(b)}`;
        measured.set(key, [...(measured.get(key) ?? []), m]);
        log(`growth size rep ${rep + 1}/${opts.sizeReps} ${target.name === "floor-express" ? "floor" : "modelmux"} ${label.get(b)} (${fmtN(Buffer.byteLength(b))} B) ${m.cpuUsPerReq.toFixed(0)} µs CPU/req, ${m.faultsPerReq.toFixed(0)} page faults/req${m.non2xx ? ` (${m.non2xx} non-2xx)` : ""}`);
      }
    }
  }
  for (const target of sizeTargets) {
    size[target.name] = points.map((p) => {
      const ms = measured.get(`${target.name} ${bodies.indexOf(p.body)}`)!;
      const least = ms.reduce((a, m) => (m.cpuUsPerReq < a.cpuUsPerReq ? m : a));
      return { kind: p.kind, x: p.x, bodyBytes: Buffer.byteLength(p.body), cpuUsPerReq: least.cpuUsPerReq, faultsPerReq: least.faultsPerReq, rps: least.rps, non2xx: ms.reduce((a, m) => a + m.non2xx + m.errors, 0) };
    });
  }
  await Promise.all([small.server.stop(), floor.server.stop()]);

  lines.push("", `Cost growth, size (c=4, ${opts.sizeReps === 1 ? "one run" : `least of ${opts.sizeReps} interleaved runs`} of ${opts.sizeDurationSec} s per size after a 1 s warm-up; marginal = extra CPU per message / per KB over the smallest request; flt = minor page faults per request)`);
  type SizeRow = GrowthResult["size"][string][number];
  /** Extra CPU per message or per KB of a row over the smallest request (`base`). */
  const marginalOf = (kind: "messages" | "bytes", base: SizeRow) => (x: SizeRow) =>
    (x.cpuUsPerReq - base.cpuUsPerReq) / (kind === "messages" ? x.x - base.x : (x.bodyBytes - base.bodyBytes) / 1024);
  /**
   * Marginal cost at the largest size over the one below it: about 1 when
   * cost grows linearly. Undefined when the size below cost less than 5%
   * more than the smallest: that difference is noise, and a ratio over it
   * means nothing (it came out at -116x in a --quick run).
   */
  const growthOf = (r: SizeRow[], kind: "messages" | "bytes"): number | undefined => {
    if (r.length < 3) return undefined;
    const base = r[0]!;
    const mid = r[r.length - 2]!;
    if (mid.cpuUsPerReq - base.cpuUsPerReq < 0.05 * base.cpuUsPerReq) return undefined;
    const marginal = marginalOf(kind, base);
    return marginal(r[r.length - 1]!) / marginal(mid);
  };
  for (const kind of ["messages", "bytes"] as const) {
    for (const [name, rows] of Object.entries(size)) {
      const r = rows.filter((x) => x.kind === kind);
      if (r.length < 2) continue;
      const base = r[0]!;
      const marginal = marginalOf(kind, base);
      const cells = r.map((x, i) => `${kind === "messages" ? x.x : fmtBytes(x.bodyBytes)}: ${x.cpuUsPerReq.toFixed(0)} µs${i > 0 ? ` (+${marginal(x).toFixed(1)}/${kind === "messages" ? "msg" : "KB"})` : ""} ${x.faultsPerReq.toFixed(0)} flt`);
      lines.push(`  ${name.padEnd(17)} ${kind.padEnd(9)} ${cells.join("   ")}`);
    }
    const r = (size["modelmux-express"] ?? []).filter((x) => x.kind === kind);
    if (r.length < 3) continue;
    const growth = growthOf(r, kind);
    // The naive proxy's own ratio in the same run, for context: what Node itself does at that size on this machine.
    const floorGrowth = growthOf((size["floor-express"] ?? []).filter((x) => x.kind === kind), kind);
    const big = r[r.length - 1]!;
    const label = kind === "messages" ? `${big.x}-message conversation` : `${fmtBytes(big.bodyBytes)} body`;
    const context = floorGrowth === undefined ? "" : ` (Express floor: ${floorGrowth.toFixed(2)}x)`;
    const value = growth === undefined ? `not measured: the size below the largest cost under 5% more than the smallest (noise); run --growth` : `${growth.toFixed(2)}x${context}`;
    verdicts.push({ target: `${label}: cost grows linearly (marginal cost at the largest size <= 1.5x the one below)`, value, pass: growth !== undefined && growth <= 1.5 && r.every((x) => x.non2xx === 0) });
  }
  return { scale, size, pages, verdicts, lines };
}

function fmtN(n: number): string {
  return n.toLocaleString("en-US");
}

function fmtBytes(n: number): string {
  return n >= 1048576 * 0.95 ? `${(n / 1048576).toFixed(1)} MB` : n >= 1024 ? `${(n / 1024).toFixed(0)} KB` : `${n} B`;
}
