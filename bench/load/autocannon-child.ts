/**
 * The fallback load generator when wrk is absent: autocannon, in its own
 * process (run by run-autocannon.ts), so its CPU is never the parent's.
 * Reads a LoadSpec from the file named in argv[2]; prints one JSON line.
 */
import { readFileSync } from "node:fs";
import autocannon from "autocannon";
import type { LoadSpec } from "./load-spec.js";

const spec = JSON.parse(readFileSync(process.argv[2]!, "utf8")) as LoadSpec;
const result = await autocannon({
  url: spec.url,
  connections: spec.connections,
  duration: spec.durationSec,
  timeout: 30,
  requests: spec.requests.map((r) => ({ method: "POST", headers: r.headers, body: r.body })),
});
process.stdout.write(
  `BENCH_JSON ${JSON.stringify({
    requests: result.requests.total,
    durationSec: result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  })}\n`,
);
