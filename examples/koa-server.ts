/**
 * modelmux in Koa: `npx tsx examples/koa-server.ts` (port 8081).
 * Works with or without @koa/bodyparser in front.
 */
import Koa from "koa";
import { bodyParser } from "@koa/bodyparser";
import { createGateway } from "modelmux";
import { koaGateway } from "modelmux/koa";
import { providersFromEnv } from "./providers-from-env.js";

const port = Number(process.env.PORT ?? 8081);
const { providers, models } = providersFromEnv();
const gateway = createGateway({ providers, models, store: process.env.MODELMUX_DB ?? "modelmux-koa.db" });

const app = new Koa();
app.use(bodyParser());
app.use(koaGateway(gateway, { prefix: "/v1" }));
app.use((ctx) => {
  ctx.body = { hello: "from the host app", path: ctx.path };
});

const server = app.listen(port, "127.0.0.1", async () => {
  const { key } = await gateway.keys.create({ name: "koa example", credits: 1 });
  console.log(`modelmux (Koa) on http://127.0.0.1:${port}/v1 — API key: ${key}`);
});

process.on("SIGINT", async () => {
  server.close();
  await gateway.close();
  process.exit(0);
});
