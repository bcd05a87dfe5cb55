/**
 * `npm run bench:shared-maps -- [--processes 25] [--build dist]`
 *
 * Whether modelmux in Express gives the `req` and `res` it serves one
 * shared hidden class (`shareHiddenClass` in `adapters/express/index.ts`),
 * process by process. Each child is a server set up as the bench's
 * modelmux-express target (a build's Express adapter, the bench gateway on
 * its SQLite file, the mock upstream), answers 60 requests (JSON and SSE in
 * turn), and reports with V8's `%HaveSameMap` how many requests' `req` and
 * `res` shared the map of the previous request of the same kind. V8's cache
 * of dictionary maps is small and hashed, so in some processes another map
 * takes `req`'s or `res`'s slot and that object never shares: this counts
 * how often (bench/README.md, "Reading the table").
 */
import { execFile } from "node:child_process";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs, promisify } from "node:util";
import express from "express";
import type * as Modelmux from "modelmux";
import type * as ModelmuxExpress from "modelmux/express";
import { chatBody } from "./fixtures.js";
import { createBenchGateway } from "./servers/create-bench-gateway.js";
import { benchTmpDir, startMock } from "./targets.js";

const { values } = parseArgs({ options: { processes: { type: "string" }, build: { type: "string" }, child: { type: "boolean" } } });
const build = resolve(values.build ?? "dist");

if (values.child) {
  // Loaded here only: the parent runs without --allow-natives-syntax.
  const { sameMap } = await import("../test/helpers/v8-natives.js");
  const load = async <T>(file: string) => (await import(pathToFileURL(join(build, file)).href)) as T;
  const { createGateway } = await load<typeof Modelmux>("index.js");
  const { expressGateway } = await load<typeof ModelmuxExpress>("express.js");
  const mock = await startMock();
  const { gateway, hooks } = await createBenchGateway(`${mock.url}/v1`, { db: join(benchTmpDir(), "maps.db") }, createGateway);
  const seen: Array<[IncomingMessage, ServerResponse]> = [];
  const app = express();
  app.use((req, res, next) => {
    seen.push([req, res]);
    next();
  });
  app.use("/v1", expressGateway(gateway));
  const server = createServer(app);
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/chat/completions`;
  const headers = { "content-type": "application/json", authorization: `Bearer ${String(hooks.info!.key)}` };
  for (let i = 0; i < 60; i++) await fetch(url, { method: "POST", headers, body: chatBody({ stream: i % 2 === 1 }) }).then((r) => r.text());
  // After a warm-up of 12, each request against the one two before it (the same kind: JSON or SSE).
  const pairs = seen.slice(12).map((now, i) => [now, seen[10 + i]!] as const);
  const count = (k: 0 | 1) => pairs.filter(([now, before]) => sameMap(now[k], before[k])).length;
  console.log(JSON.stringify({ pairs: pairs.length, req: count(0), res: count(1) }));
  server.close();
  await gateway.close();
  await mock.stop();
  process.exit(0);
}

const processes = Number(values.processes ?? 25);
const self = fileURLToPath(import.meta.url);
const run = promisify(execFile);
const tally = { both: 0, reqOnly: 0, resOnly: 0, neither: 0 };
for (let i = 0; i < processes; i++) {
  const { stdout } = await run(process.execPath, ["--allow-natives-syntax", "--import", "tsx", self, "--child", "--build", build], { timeout: 120_000 });
  const r = JSON.parse(stdout.trim().split("\n").at(-1)!) as { pairs: number; req: number; res: number };
  // Shared: all pairs but perhaps one or two (a full GC empties the cache, and the next request makes a new entry).
  const req = r.req >= r.pairs * 0.9;
  const res = r.res >= r.pairs * 0.9;
  if (req && res) tally.both++;
  else if (req) tally.reqOnly++;
  else if (res) tally.resOnly++;
  else tally.neither++;
  console.error(`[shared-maps] process ${i + 1}/${processes}: req shared ${r.req}/${r.pairs}, res shared ${r.res}/${r.pairs}`);
}
console.log(`modelmux in Express (${build}), ${processes} processes: req and res shared in ${tally.both}; req only ${tally.reqOnly}; res only ${tally.resOnly}; neither ${tally.neither}`);
