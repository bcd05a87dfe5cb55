/**
 * Time to first chunk at c=1, measured by a small client: from the request
 * write to the first `data:` bytes of the answer, over one keep-alive
 * connection. The slow-tail model makes the upstream pause after its first
 * event, so a gateway that buffers would show the pause here.
 */
import { Agent, request } from "node:http";
import { percentile } from "./stats.js";

export interface TtfcResult {
  samples: number;
  p50Ms: number;
  p90Ms: number;
  /** Whole answer, request write to last byte. */
  totalP50Ms: number;
  /** `data:` events seen per answer (median), so a broken stream shows. */
  events: number;
}

function once(agent: Agent, url: URL, body: string, headers: Record<string, string>): Promise<{ firstMs: number; totalMs: number; events: number }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", agent, headers: { ...headers, "content-length": Buffer.byteLength(body) } }, (res) => {
      let first = -1;
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        if (first < 0 && chunk.includes("data:")) first = performance.now();
        text += chunk;
      });
      res.on("end", () => {
        const end = performance.now();
        if (res.statusCode !== 200 || first < 0) return reject(new Error(`TTFC probe got ${res.statusCode}: ${text.slice(0, 200)}`));
        resolve({ firstMs: first - start, totalMs: end - start, events: text.split("data:").length - 1 });
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    const start = performance.now();
    req.end(body);
  });
}

export interface TtfcProbe {
  name: string;
  url: string;
  headers: Record<string, string>;
}

/**
 * Every probe measured side by side: each round sends one request to each
 * probe (direct to the mock and every target), in an order rotated per
 * round, each over its own keep-alive connection. Measured one target after
 * another, the direct figure and each target's were taken seconds apart, and
 * machine drift between them went into "added" time.
 */
export async function measureTtfc(probes: TtfcProbe[], body: string, samples: number, warmup = 30): Promise<Record<string, TtfcResult>> {
  const runs = probes.map((p) => ({ ...p, agent: new Agent({ keepAlive: true, maxSockets: 1 }), target: new URL(p.url), first: [] as number[], total: [] as number[], events: [] as number[] }));
  try {
    for (let i = 0; i < warmup + samples; i++) {
      for (let k = 0; k < runs.length; k++) {
        const run = runs[(i + k) % runs.length]!;
        const r = await once(run.agent, run.target, body, run.headers);
        if (i < warmup) continue;
        run.first.push(r.firstMs);
        run.total.push(r.totalMs);
        run.events.push(r.events);
      }
    }
  } finally {
    for (const run of runs) run.agent.destroy();
  }
  const out: Record<string, TtfcResult> = {};
  for (const run of runs) {
    out[run.name] = { samples, p50Ms: percentile(run.first, 50), p90Ms: percentile(run.first, 90), totalP50Ms: percentile(run.total, 50), events: percentile(run.events, 50) };
  }
  return out;
}
