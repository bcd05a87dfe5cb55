/**
 * One measured cell: the server's own CPU time and finished-response count
 * before and after one load run, so CPU per request is the server process's
 * alone (the load generator and the mock upstream run in other processes).
 */
import type { ServerHandle } from "./child-process.js";
import type { LoadResult, LoadSpec } from "./load/load-spec.js";
import { runLoad, type LoadTool } from "./load/run-load.js";
import { sleep } from "./stats.js";

export interface CellMeasure extends LoadResult {
  /** Server CPU (user + system) per finished response, µs. */
  cpuUsPerReq: number;
  /** The server's minor page faults per finished response (memory taken fresh from the kernel). */
  faultsPerReq: number;
  /** The mock upstream's CPU per response, µs (context: it shares the 2 cores). */
  mockCpuUsPerReq: number;
  serverFinished: number;
  /** New connections the mock upstream accepted during the cell: about `connections` when the target keeps them alive. */
  upstreamConnections: number;
}

export async function measureCell(tool: LoadTool, server: ServerHandle, mock: ServerHandle, spec: LoadSpec): Promise<CellMeasure> {
  const [s0, m0] = await Promise.all([server.stats(), mock.stats()]);
  const load = await runLoad(tool, spec);
  // Let in-flight work (usage writes after the last byte) land inside the window.
  await sleep(150);
  const [s1, m1] = await Promise.all([server.stats(), mock.stats()]);
  const finished = s1.finished - s0.finished;
  const cpu = s1.userUs + s1.systemUs - (s0.userUs + s0.systemUs);
  const mockCpu = m1.userUs + m1.systemUs - (m0.userUs + m0.systemUs);
  return {
    ...load,
    serverFinished: finished,
    upstreamConnections: m1.connections - m0.connections,
    cpuUsPerReq: finished > 0 ? cpu / finished : Number.NaN,
    faultsPerReq: finished > 0 ? (s1.minorFaults - s0.minorFaults) / finished : Number.NaN,
    mockCpuUsPerReq: finished > 0 ? mockCpu / (m1.finished - m0.finished || 1) : Number.NaN,
  };
}
