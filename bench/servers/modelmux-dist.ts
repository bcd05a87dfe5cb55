/**
 * modelmux from a build directory given on the command line
 * (`bench:server-ab`), mounted the way the bench mounts it: in Express
 * (`app.use("/v1", expressGateway(gateway))`), in Koa (`koaGateway` with
 * the prefix `/v1`) or on node:http (`nodeGateway`), with the bench's
 * gateway setup (createBenchGateway: SQLite file store, an API key, the
 * full pipeline). The build's own adapters are used, so a change in them
 * shows too.
 *
 * argv: upstream base, gateway options (JSON), build directory, mount.
 */
import { createServer, type RequestListener } from "node:http";
import { pathToFileURL } from "node:url";
import express from "express";
import Koa from "koa";
import type * as Modelmux from "modelmux";
import type * as ModelmuxExpress from "modelmux/express";
import type * as ModelmuxKoa from "modelmux/koa";
import { createBenchGateway } from "./create-bench-gateway.js";
import { serveBenchChild } from "./serve-bench-child.js";

const [upstreamBase, options, distDir, mount] = process.argv.slice(2) as [string, string, string, "express" | "koa" | "node"];
const load = async <T>(file: string) => (await import(pathToFileURL(`${distDir}/${file}`).href)) as T;
const mm = await load<typeof Modelmux>("index.js");
const { gateway, hooks } = await createBenchGateway(upstreamBase, JSON.parse(options), mm.createGateway);

let listener: RequestListener;
if (mount === "express") {
  const { expressGateway } = await load<typeof ModelmuxExpress>("express.js");
  const app = express();
  app.use("/v1", expressGateway(gateway));
  listener = app;
} else if (mount === "koa") {
  const { koaGateway } = await load<typeof ModelmuxKoa>("koa.js");
  const app = new Koa();
  app.use(koaGateway(gateway, { prefix: "/v1" }));
  listener = app.callback();
} else {
  const handler = mm.nodeGateway(gateway, { prefix: "/v1" });
  listener = (req, res) => void handler(req, res);
}
serveBenchChild(createServer(listener), `modelmux-dist (${mount})`, hooks);
