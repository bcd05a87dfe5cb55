/**
 * `npm start`: modelmux mounted at /v1 in an Express app on port 8080, with
 * an embedded SQLite store (modelmux.db), the built-in mock models, and real
 * providers when their API keys are in the environment. The server is made
 * with createServerOptions(app), so Express never swaps a prototype on a
 * request (the whole app gets faster, not only the gateway's routes).
 */
import { createServer } from "node:http";
import express from "express";
import { createGateway } from "modelmux";
import { createServerOptions, expressGateway } from "modelmux/express";
import { providersFromEnv } from "./providers-from-env.js";

const port = Number(process.env.PORT ?? 8080);
const adminKey = process.env.MODELMUX_ADMIN_KEY;
const { providers, models } = providersFromEnv();

const gateway = createGateway({
  providers,
  models,
  store: process.env.MODELMUX_DB ?? "modelmux.db",
  // Keys without limits of their own get these (and x-ratelimit-* headers on every answer).
  defaultKeyLimits: { requestsPerMinute: 600, concurrent: 16 },
  adminKey,
  hooks: {
    onError: (error, info) => console.error(`[modelmux] ${info.hook} failed:`, error),
  },
});

const app = express();
app.get("/", (_req, res) => {
  res.json({ name: "modelmux example", endpoints: ["/v1/chat/completions", "/v1/completions", "/v1/models", "/v1/key"] });
});
app.use("/v1", expressGateway(gateway));

// What app.listen() does, with requests and responses built with the app's prototype from the start.
const server = createServer(createServerOptions(app), app).listen(port, "127.0.0.1", async () => {
  // A fresh demo key each start; keys made earlier stay valid (they live in the store).
  const { key } = await gateway.keys.create({ name: "npm start demo", credits: 5 });
  console.log(`modelmux listening on http://127.0.0.1:${port}/v1`);
  console.log(`providers: ${Object.keys(providers).join(", ")}; models: ${gateway.models.map((m) => m.id).join(", ")}`);
  console.log(`API key (shown once, $5 of credit): ${key}`);
  console.log(`try: curl http://127.0.0.1:${port}/v1/chat/completions -H "Authorization: Bearer ${key}" -H "Content-Type: application/json" -d '{"model":"mock/echo","messages":[{"role":"user","content":"Hello"}]}'`);
  if (adminKey) console.log("admin endpoints enabled at /v1/admin (MODELMUX_ADMIN_KEY)");
});

async function shutdown() {
  server.close();
  await gateway.close();
  process.exit(0);
}
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
