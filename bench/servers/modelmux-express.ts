/** modelmux mounted in Express 5, as a host would: `app.use("/v1", expressGateway(gateway))`. */
import { createServer } from "node:http";
import express from "express";
import { expressGateway } from "modelmux/express";
import { createBenchGateway } from "./create-bench-gateway.js";
import { serveBenchChild } from "./serve-bench-child.js";

const { gateway, hooks } = await createBenchGateway(process.argv[2]!, JSON.parse(process.argv[3]!));
const app = express();
app.use("/v1", expressGateway(gateway));
serveBenchChild(createServer(app), "modelmux-express", hooks);
