/**
 * Not a floor the targets use: Express 5 hosting the floors' raw
 * passthrough as a middleware (`app.use("/v1", ...)`, the way modelmux is
 * mounted), with no body parser, no parse and no stringify. Against
 * `floor-node` it shows what Express itself costs per request; against
 * `floor-express`, what express.json, the parse and `res.json` add. Only
 * with `--targets`.
 */
import { createServer } from "node:http";
import express from "express";
import { passthrough } from "./passthrough.js";
import { serveBenchChild } from "./serve-bench-child.js";

const app = express();
app.use("/v1", passthrough(process.argv[2]!));
serveBenchChild(createServer(app), "express-raw");
