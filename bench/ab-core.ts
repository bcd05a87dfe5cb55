/**
 * `npm run bench:ab -- <old dist dir> <new dist dir> [json|sse] [--connections 64] [--requests 30000] [--limits] [--events N]`
 *
 * Two builds of modelmux side by side: each gets its own gateway (SQLite
 * file store, an API key, the full pipeline) in front of the same
 * in-process fake upstream (the bench's 617-byte JSON or 22-event stream,
 * no HTTP), each request with its cancellation made the way the build's
 * adapters make it (`cancelFor`, or `abortSignalFor` before it), and the
 * two take turns in short rounds in one process, so drift on a shared
 * machine hits both alike. Prints CPU µs per `gateway.handle()` request
 * for each.
 *
 * In one process, the build loaded second often ran 5-10% cheaper,
 * whichever it was (seen comparing a build with itself). So the comparison
 * runs twice, in two processes, once in each load order, and the ratio
 * printed is the geometric mean of the two. Comparing a build with itself
 * that way gave 0.95 to 1.04 on the 2-core development machine: read a
 * ratio as a change only past about 5%. The server bench moves 10-20%
 * from one run to the next there.
 *
 * To build the current tree and an older commit:
 *   npx tsup --out-dir bench/results/dist-new
 *   git stash -u && git checkout <old> && npx tsup --out-dir bench/results/dist-old && git checkout - && git stash pop
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { BENCH_MODEL, jsonResponseBody, sseFrames } from "./fixtures.js";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { connections: { type: "string" }, requests: { type: "string" }, rounds: { type: "string" }, limits: { type: "boolean" }, events: { type: "string" }, child: { type: "boolean" } },
});
const [oldDir, newDir, mode = "json"] = positionals;
if (!oldDir || !newDir || (mode !== "json" && mode !== "sse")) {
  console.error("usage: npm run bench:ab -- <old dist dir> <new dist dir> [json|sse] [--connections 64] [--requests 30000] [--rounds 30] [--limits] [--events N]");
  process.exit(2);
}
const connections = Number(values.connections ?? 64);
const rounds = Number(values.rounds ?? 30);
const perRound = Math.max(1, Math.round(Number(values.requests ?? 30_000) / rounds));

const jsonBody = jsonResponseBody();
/** `--events N`: a stream of N content events (role first; finish, usage and [DONE] last) instead of the bench's 22 events, to weigh the per-event path. */
const contentEvents = values.events === undefined ? undefined : Number(values.events);
const frames = sseFrames(contentEvents);
/** The upstream, in process: a body iterator like the undici transport's, one item per upstream write. */
const transport = async (req: { body?: string }) => {
  const stream = req.body?.includes('"stream":true') ?? false;
  return {
    status: 200,
    headers: { "content-type": stream ? "text/event-stream" : "application/json" },
    body: (async function* () {
      if (stream) yield* frames;
      else yield jsonBody;
    })(),
    text: async () => jsonBody.toString(),
    dump: async () => undefined,
  };
};

const requestBody = Buffer.from(JSON.stringify({ model: BENCH_MODEL, messages: [{ role: "user", content: "Say hello in one short sentence." }], stream: mode === "sse" }));
const pricing = { prompt: "0.15", completion: "0.6" };
const dirs: string[] = [];

interface Variant {
  name: string;
  handle: (req: unknown) => Promise<{ kind: string; status?: number; body?: unknown; events?: AsyncIterable<string> }>;
  /** The request's cancellation as the build's adapters make it, for a response that never closes: `cancelFor`, or in older builds `abortSignalFor`. */
  cancellation: () => { cancel?: unknown; signal?: AbortSignal };
  close: () => Promise<void>;
  key: string;
  cpuUs: number;
  requests: number;
}

async function load(name: string, dir: string, copy: number): Promise<Variant> {
  // A query string per copy: the same build loaded twice is two module instances (an A/A run).
  const mod = (await import(`${pathToFileURL(resolve(dir, "index.js")).href}?copy=${copy}`)) as typeof import("../src/index.js");
  const dbDir = mkdtempSync(join(tmpdir(), "modelmux-ab-"));
  dirs.push(dbDir);
  const gateway = mod.createGateway({
    providers: { up: { type: "openai", baseURL: "http://127.0.0.1:9/v1", apiKey: "x" } },
    models: [{ id: BENCH_MODEL, pricing, context_length: 4_000_000, routes: [{ provider: "up", model: "gpt-4o-mini" }] }],
    store: join(dbDir, "store.db"),
    transport: transport as never,
  });
  await gateway.ready();
  // --limits: a key with request, token and concurrency limits (never reached), as production keys often have.
  const limits = values.limits ? { requestsPerMinute: 1e9, tokensPerMinute: 1e12, concurrent: 1e6 } : undefined;
  const { key } = await gateway.keys.create({ credits: 1_000_000, limits });
  const res = { once: () => res, writableFinished: false };
  const cancelFor = (mod as { cancelFor?: (res: never) => unknown }).cancelFor;
  const cancellation = cancelFor ? () => ({ cancel: cancelFor(res as never) }) : () => ({ signal: mod.abortSignalFor(res as never) });
  return { name, handle: (req) => gateway.handle(req as never) as never, cancellation, close: () => gateway.close(), key, cpuUs: 0, requests: 0 };
}

async function one(v: Variant): Promise<void> {
  const headers = { authorization: `Bearer ${v.key}`, "content-type": "application/json", "content-length": String(requestBody.length) };
  const res = await v.handle({ method: "POST", path: "/chat/completions", headers, body: requestBody, ...v.cancellation() });
  if (res.kind === "json") {
    if (res.status !== 200) throw new Error(`${v.name}: ${res.status} ${JSON.stringify(res.body)}`);
    JSON.stringify(res.body);
  } else if (res.kind === "stream") {
    for await (const frame of res.events!) void frame;
  }
}

async function run(v: Variant, n: number): Promise<void> {
  let started = 0;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (started < n) {
        started++;
        await one(v);
      }
    }),
  );
}

if (values.child) {
  // One load order: prints each build's µs per request as JSON for the parent.
  const variants = [await load("first", oldDir, 1), await load("second", newDir, 2)];
  for (const v of variants) await run(v, 3_000); // warm-up: JIT, caches, the SQLite file
  for (let r = 0; r < rounds; r++) {
    for (const v of r % 2 === 0 ? variants : [...variants].reverse()) {
      const before = process.cpuUsage();
      await run(v, perRound);
      // Let the writes behind of this round land inside it (the store's default window is 10 ms).
      await new Promise((resolve) => setTimeout(resolve, 15));
      const used = process.cpuUsage(before);
      v.cpuUs += used.user + used.system;
      v.requests += perRound;
    }
  }
  console.log(JSON.stringify(variants.map((v) => v.cpuUs / v.requests)));
  for (const v of variants) await v.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
} else {
  const self = fileURLToPath(import.meta.url);
  const order = (first: string, second: string): [number, number] => {
    const args = ["--import", "tsx", self, first, second, mode, "--child", "--connections", String(connections), "--requests", String(perRound * rounds), "--rounds", String(rounds)];
    if (values.limits) args.push("--limits");
    if (contentEvents !== undefined) args.push("--events", String(contentEvents));
    const out = execFileSync(process.execPath, args, { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
    return JSON.parse(out.trim().split("\n").at(-1)!) as [number, number];
  };
  const [oldFirst, newSecond] = order(oldDir, newDir);
  const [newFirst, oldSecond] = order(newDir, oldDir);
  const fmt = (us: number) => us.toFixed(1).padStart(7);
  console.log(`${mode}${contentEvents !== undefined ? ` (${contentEvents} content events)` : ""}, c=${connections}${values.limits ? ", key with rate and concurrency limits" : ""}, ${perRound * rounds} requests per build and order; CPU µs per request`);
  console.log(`  old (${oldDir}): ${fmt(oldFirst)} loaded first, ${fmt(oldSecond)} loaded second`);
  console.log(`  new (${newDir}): ${fmt(newFirst)} loaded first, ${fmt(newSecond)} loaded second`);
  console.log(`new/old: ${Math.sqrt((newSecond / oldFirst) * (newFirst / oldSecond)).toFixed(3)} (geometric mean of both load orders)`);
}
