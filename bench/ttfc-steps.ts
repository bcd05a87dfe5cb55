/**
 * `npm run bench:ttfc-steps -- [--samples 400] [--warmup 300]`
 *
 * Where the time to first chunk goes, step by step, for modelmux in
 * Express and the Express floor, each request one at a time at c=1 on a
 * keep-alive connection, against a mock that pauses 10 ms after the first
 * event. Every process reads the machine's monotonic clock
 * (process.hrtime): the client when it sends and when the first bytes
 * come back, the target when Express emits the request, when undici sends
 * the upstream headers and gets the answer's, and at its first
 * `res.write`, the mock when the body has arrived and when it writes the
 * first event. Each step's median, for two orders: the targets taking
 * turns request by request (as `npm run bench` measures time to first
 * chunk: each request finds its process idle since its previous one) and
 * back to back (all of one target's requests, then the other's).
 * `--json FILE` also writes every request's steps, µs, to FILE:
 * `{ [order]: { [target]: number[][] } }`, one array per step, in the
 * table's row order, the last being the whole.
 */
import { writeFileSync } from "node:fs";
import http from "node:http";
import { parseArgs } from "node:util";
import { spawnServer, type ServerHandle } from "./child-process.js";
import { SLOWTAIL_MODEL, chatBody } from "./fixtures.js";
import { median } from "./stats.js";

const { values } = parseArgs({ options: { samples: { type: "string" }, warmup: { type: "string" }, json: { type: "string" } } });
const samples = Number(values.samples ?? 400);
const warmup = Number(values.warmup ?? 300);

type Stamps = Record<string, string>;
const mock = await spawnServer("stamped-mock", "./servers/stamped-mock.ts", []);
const targets: Array<{ label: string; server: ServerHandle; agent: http.Agent; key: string }> = [];
for (const mode of ["floor", "modelmux"] as const) {
  const server = await spawnServer(`stamped-${mode}`, "./servers/stamped-target.ts", [mode, `${mock.url}/v1`]);
  targets.push({ label: mode === "floor" ? "Express floor" : "modelmux in Express", server, agent: new http.Agent({ keepAlive: true, maxSockets: 1 }), key: String(server.info.key ?? "x") });
}
const body = chatBody({ stream: true, model: SLOWTAIL_MODEL });

/** One streamed request; the client's clock readings at sending and at the first bytes. */
function once(t: (typeof targets)[number]): Promise<{ sent: bigint; first: bigint }> {
  return new Promise((resolve, reject) => {
    const sent = process.hrtime.bigint();
    let first = 0n;
    const req = http.request({ port: t.server.port, path: "/v1/chat/completions", method: "POST", agent: t.agent, headers: { "content-type": "application/json", authorization: `Bearer ${t.key}` } }, (res) => {
      res.on("data", () => (first ||= process.hrtime.bigint()));
      res.on("end", () => (res.statusCode === 200 ? resolve({ sent, first }) : reject(new Error(`${t.label}: status ${res.statusCode}`))));
    });
    req.on("error", reject);
    req.end(body);
  });
}

const drain = async (s: ServerHandle) => ((await s.stats({ extra: true })).extra?.stamps ?? []) as Stamps[];
const STEPS = [
  "client sends -> Express emits the request",
  "-> upstream headers sent (auth, validation, routing / body parse)",
  "-> mock has the body",
  "-> mock writes the first event",
  "-> target has the upstream answer's headers",
  "-> first res.write (first chunk read and written)",
  "-> client has the first bytes",
  "time to first chunk",
] as const;

async function measure(order: "taking turns" | "back to back"): Promise<Map<string, number[][]>> {
  for (const t of targets) for (let i = 0; i < warmup; i++) await once(t);
  for (const s of [mock, ...targets.map((t) => t.server)]) await drain(s);
  const sequence: number[] = [];
  if (order === "taking turns") for (let i = 0; i < samples; i++) sequence.push(i % 2, 1 - (i % 2));
  else for (const ti of [0, 1]) for (let i = 0; i < samples; i++) sequence.push(ti);
  const client: Array<{ sent: bigint; first: bigint }> = [];
  for (const ti of sequence) client.push(await once(targets[ti]!));
  const mockStamps = await drain(mock);
  const own = await Promise.all(targets.map((t) => drain(t.server)));
  const seen = [0, 0];
  const steps = new Map<string, number[][]>(targets.map((t) => [t.label, STEPS.map(() => [])]));
  sequence.forEach((ti, i) => {
    const c = client[i]!;
    const m = mockStamps[i]!;
    const r = own[ti]![seen[ti]!++]!;
    const at = [c.sent, r.arrived, r.sent, m.arrived, m.firstWrite, r.answered, r.firstWrite, c.first].map((v) => BigInt(v!));
    const row = steps.get(targets[ti]!.label)!;
    for (let s = 0; s < 7; s++) row[s]!.push(Number(at[s + 1]! - at[s]!) / 1000);
    row[7]!.push(Number(at[7]! - at[0]!) / 1000);
  });
  return steps;
}

const results = { "taking turns": await measure("taking turns"), "back to back": await measure("back to back") };
for (const t of targets) t.agent.destroy();
await Promise.all([mock.stop(), ...targets.map((t) => t.server.stop())]);

console.log(`Time to first chunk by step, µs (median of ${samples} streamed requests a target and order, c=1)`);
for (const [order, steps] of Object.entries(results)) {
  console.log(`\n${order}`.padEnd(70) + targets.map((t) => t.label.padStart(22)).join(""));
  STEPS.forEach((name, s) => console.log(`  ${name}`.padEnd(69) + targets.map((t) => median(steps.get(t.label)![s]!).toFixed(0).padStart(22)).join("")));
}
if (values.json) writeFileSync(values.json, JSON.stringify(Object.fromEntries(Object.entries(results).map(([order, steps]) => [order, Object.fromEntries(steps)]))));
