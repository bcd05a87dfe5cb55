/**
 * The gateway mounted beside a host's own routes, with the host's own
 * authentication (the `authenticate` hook replaces API keys) and its own
 * usage sink (`onUsage`). `npx tsx examples/beside-your-routes.ts` (port 8082).
 */
import express from "express";
import { createGateway } from "modelmux";
import { expressGateway } from "modelmux/express";

const users = new Map([["session-alice", { id: "alice", plan: "pro" }]]);

const gateway = createGateway({
  providers: { mock: { type: "mock" } },
  hooks: {
    // Any token scheme the host already has: here a session token looked up in its own table.
    authenticate: (token) => {
      const user = token ? users.get(token) : undefined;
      return user ? { id: user.id, name: user.id } : null;
    },
    onUsage: (record) => console.log(`[usage] ${record.id} ${record.model} ${record.totalTokens} tokens, status ${record.status}`),
  },
});

const app = express();
app.use(express.json());
app.get("/v1/health", (_req, res) => void res.json({ ok: true }));
app.use("/v1", expressGateway(gateway));
app.post("/v1/feedback", (req, res) => void res.json({ thanks: true, got: req.body }));

const server = app.listen(Number(process.env.PORT ?? 8082), "127.0.0.1", () => {
  console.log("host routes: GET /v1/health, POST /v1/feedback; gateway: /v1/chat/completions (Bearer session-alice)");
});
process.on("SIGINT", () => {
  server.close();
  void gateway.close().then(() => process.exit(0));
});
