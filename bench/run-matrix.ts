/**
 * The main comparison: every target at c=1 and c=64, JSON and SSE,
 * interleaved (each rep walks the cells, and within a cell the targets, in
 * a rotated order) so drift on a shared machine hits all targets alike.
 */
import type { ServerHandle } from "./child-process.js";
import { checkTarget } from "./check-target.js";
import { SLOWTAIL_MODEL, chatBody } from "./fixtures.js";
import type { LoadTool } from "./load/run-load.js";
import { measureCell, type CellMeasure } from "./measure-cell.js";
import { median } from "./stats.js";
import { chatUrl, type Target, type TargetName } from "./targets.js";
import { measureTtfc, type TtfcResult } from "./ttfc.js";

export type CellName = "json-c1" | "sse-c1" | "json-c64" | "sse-c64";
export const CELLS: Array<{ name: CellName; stream: boolean; connections: number; label: string }> = [
  { name: "json-c1", stream: false, connections: 1, label: "JSON c=1" },
  { name: "sse-c1", stream: true, connections: 1, label: "SSE c=1" },
  { name: "json-c64", stream: false, connections: 64, label: "JSON c=64" },
  { name: "sse-c64", stream: true, connections: 64, label: "SSE c=64" },
];

export interface MatrixOptions {
  tool: LoadTool;
  durationSec: number;
  reps: number;
  warmupSec: number;
  ttfcSamples: number;
  log: (line: string) => void;
}

export interface CellSummary {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  cpuUsPerReq: number;
  /** min and max CPU µs/request over the reps, to show the spread. */
  cpuRange: [number, number];
  non2xx: number;
  errors: number;
}

export interface MatrixResult {
  samples: Array<{ target: TargetName; cell: CellName; rep: number } & CellMeasure>;
  summary: Partial<Record<TargetName, Partial<Record<CellName, CellSummary>>>>;
  ttfc: Partial<Record<TargetName | "direct", TtfcResult>>;
}

export async function runMatrix(targets: Target[], mock: ServerHandle, opts: MatrixOptions): Promise<MatrixResult> {
  const bodies = { json: chatBody(), sse: chatBody({ stream: true }) };
  for (const t of targets) {
    await checkTarget(t.name, chatUrl(t.server), t.headers, bodies.json, bodies.sse, t.isModelmux);
  }
  opts.log(`checked: every target answers JSON and SSE with usage${targets.some((t) => t.isModelmux) ? " (modelmux with cost)" : ""}`);

  const spec = (t: Target, stream: boolean, connections: number, durationSec: number) => ({
    url: chatUrl(t.server),
    connections,
    durationSec,
    requests: [{ body: stream ? bodies.sse : bodies.json, headers: t.headers }],
  });

  if (opts.warmupSec > 0) {
    for (const t of targets) {
      for (const stream of [false, true]) await measureCell(opts.tool, t.server, mock, spec(t, stream, 64, opts.warmupSec));
    }
    opts.log(`warmed up: ${opts.warmupSec} s JSON + ${opts.warmupSec} s SSE at c=64 per target`);
  }

  const samples: MatrixResult["samples"] = [];
  for (let rep = 0; rep < opts.reps; rep++) {
    for (const cell of CELLS) {
      const order = targets.map((_, i) => targets[(i + rep) % targets.length]!);
      for (const t of order) {
        const m = await measureCell(opts.tool, t.server, mock, spec(t, cell.stream, cell.connections, opts.durationSec));
        samples.push({ target: t.name, cell: cell.name, rep, ...m });
        opts.log(
          `rep ${rep + 1}/${opts.reps} ${cell.label.padEnd(9)} ${t.name.padEnd(16)} ${m.rps.toFixed(0).padStart(6)} req/s  ` +
            `p50 ${m.p50Ms.toFixed(2)} ms  p99 ${m.p99Ms.toFixed(2)} ms  ${m.cpuUsPerReq.toFixed(0).padStart(5)} µs CPU/req` +
            (m.non2xx || m.errors ? `  (${m.non2xx} non-2xx, ${m.errors} errors)` : "") +
            (m.upstreamConnections > 2 * cell.connections + 8 ? `  (${m.upstreamConnections} new upstream connections: keep-alive lost)` : ""),
        );
      }
    }
  }

  const summary: MatrixResult["summary"] = {};
  for (const t of targets) {
    const byCell: Partial<Record<CellName, CellSummary>> = {};
    for (const cell of CELLS) {
      const s = samples.filter((x) => x.target === t.name && x.cell === cell.name);
      const cpu = s.map((x) => x.cpuUsPerReq);
      byCell[cell.name] = {
        rps: median(s.map((x) => x.rps)),
        p50Ms: median(s.map((x) => x.p50Ms)),
        p99Ms: median(s.map((x) => x.p99Ms)),
        cpuUsPerReq: median(cpu),
        cpuRange: [Math.min(...cpu), Math.max(...cpu)],
        non2xx: s.reduce((a, x) => a + x.non2xx, 0),
        errors: s.reduce((a, x) => a + x.errors, 0),
      };
    }
    summary[t.name] = byCell;
  }

  const ttfc: MatrixResult["ttfc"] = {};
  if (opts.ttfcSamples > 0) {
    const probe = chatBody({ stream: true, model: SLOWTAIL_MODEL });
    const probes = [{ name: "direct", url: `${mock.url}/v1/chat/completions`, headers: { "content-type": "application/json" } }, ...targets.map((t) => ({ name: t.name, url: chatUrl(t.server), headers: t.headers }))];
    Object.assign(ttfc, await measureTtfc(probes, probe, opts.ttfcSamples));
    opts.log(`time to first chunk measured: ${opts.ttfcSamples} sequential streams per target, the targets taking turns`);
  }
  return { samples, summary, ttfc };
}
