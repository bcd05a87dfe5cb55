/**
 * modelmux mounted in Express 5 as the README recommends for speed: the
 * same app as modelmux-express.ts, on a server from createServerOptions(app)
 * (requests and responses built with the app's prototype).
 */
import { createServer } from "node:http";
import express from "express";
import { createServerOptions, expressGateway } from "modelmux/express";
import { createBenchGateway } from "./create-bench-gateway.js";
import { serveBenchChild } from "./serve-bench-child.js";

const { gateway, hooks } = await createBenchGateway(process.argv[2]!, JSON.parse(process.argv[3]!));
const app = express();
app.use("/v1", expressGateway(gateway));
serveBenchChild(createServer(createServerOptions(app), app), "modelmux-express-preset", hooks);
