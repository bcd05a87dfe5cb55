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

export async function measureTtfc(url: string, body: string, headers: Record<string, string>, samples: number, warmup = 30): Promise<TtfcResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const target = new URL(url);
  const first: number[] = [];
  const total: number[] = [];
  const events: number[] = [];
  try {
    for (let i = 0; i < warmup + samples; i++) {
      const r = await once(agent, target, body, headers);
      if (i < warmup) continue;
      first.push(r.firstMs);
      total.push(r.totalMs);
      events.push(r.events);
    }
  } finally {
    agent.destroy();
  }
  return { samples, p50Ms: percentile(first, 50), p90Ms: percentile(first, 90), totalP50Ms: percentile(total, 50), events: percentile(events, 50) };
}
