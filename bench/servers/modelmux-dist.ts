/**
 * modelmux from a build directory given on the command line (`bench:ttfc-ab`),
 * on node:http with `nodeGateway`, with the bench's gateway setup (SQLite
 * file store, an API key, the full pipeline).
 */
import { createServer } from "node:http";
import { pathToFileURL } from "node:url";
import type * as Modelmux from "modelmux";
import { BENCH_MODEL, SLOWTAIL_MODEL } from "../fixtures.js";
import { serveBenchChild } from "./serve-bench-child.js";

const [upstreamBase, dbPath, distDir] = process.argv.slice(2) as [string, string, string];
const mm = (await import(pathToFileURL(`${distDir}/index.js`).href)) as typeof Modelmux;
const pricing = { prompt: "0.15", completion: "0.6" };
const gateway = mm.createGateway({
  providers: { up: { type: "openai", baseURL: upstreamBase, apiKey: "x" } },
  models: [
    { id: BENCH_MODEL, pricing, routes: [{ provider: "up", model: "gpt-4o-mini" }] },
    { id: SLOWTAIL_MODEL, pricing, routes: [{ provider: "up", model: "slowtail" }] },
  ],
  store: dbPath,
});
await gateway.ready();
const { key } = await gateway.keys.create({ credits: 1000 });
const handler = mm.nodeGateway(gateway, { prefix: "/v1" });
serveBenchChild(createServer((req, res) => void handler(req, res)), "modelmux-dist", { info: { key }, close: () => gateway.close() });
