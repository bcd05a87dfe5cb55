/**
 * modelmux on node:http in front of an Express app (`nodeGateway`), the
 * way the README mounts it for the lowest cost beside Express: the
 * gateway's requests never enter Express. Also tells how much of the
 * Express row's cost is the host's.
 */
import { createServer } from "node:http";
import express from "express";
import { nodeGateway } from "modelmux";
import { createBenchGateway } from "./create-bench-gateway.js";
import { serveBenchChild } from "./serve-bench-child.js";

const { gateway, hooks } = await createBenchGateway(process.argv[2]!, JSON.parse(process.argv[3]!));
const app = express();
app.get("/health", (_req, res) => void res.json({ ok: true }));
const modelmux = nodeGateway(gateway, { prefix: "/v1" });
serveBenchChild(
  createServer((req, res) => void modelmux(req, res, () => app(req, res))),
  "modelmux-node",
  hooks,
);
