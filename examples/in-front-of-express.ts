/**
 * The gateway in front of an Express app, on Node's own request and
 * response: its requests never enter Express, everything else goes to the
 * app as usual. For the lowest per-request cost (see "Performance" in the
 * README). `npx tsx examples/in-front-of-express.ts` (port 8083).
 */
import { createServer } from "node:http";
import express from "express";
import { createGateway, nodeGateway } from "modelmux";

const gateway = createGateway({
  providers: { mock: { type: "mock" } },
  store: ":memory:",
});
const { key } = await gateway.keys.create({ name: "example", credits: 5 });

const app = express();
app.use(express.json());
app.get("/v1/health", (_req, res) => void res.json({ ok: true }));
app.post("/v1/feedback", (req, res) => void res.json({ thanks: true, got: req.body }));

const modelmux = nodeGateway(gateway, { prefix: "/v1" });
const server = createServer((req, res) => void modelmux(req, res, () => app(req, res)));
const port = Number(process.env.PORT ?? 8083);
server.listen(port, "127.0.0.1", () => {
  console.log(`gateway: http://127.0.0.1:${port}/v1/chat/completions (Bearer ${key}); host routes: GET /v1/health, POST /v1/feedback`);
});
process.on("SIGINT", () => {
  server.close();
  void gateway.close().then(() => process.exit(0));
});
