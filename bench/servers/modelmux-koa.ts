/** modelmux mounted in Koa 3: `app.use(koaGateway(gateway, { prefix: "/v1" }))`. */
import { createServer } from "node:http";
import Koa from "koa";
import { koaGateway } from "modelmux/koa";
import { createBenchGateway } from "./create-bench-gateway.js";
import { serveBenchChild } from "./serve-bench-child.js";

const { gateway, hooks } = await createBenchGateway(process.argv[2]!, JSON.parse(process.argv[3]!));
const app = new Koa();
app.use(koaGateway(gateway, { prefix: "/v1" }));
serveBenchChild(createServer(app.callback()), "modelmux-koa", hooks);
