/**
 * A target of `bench/ttfc-steps.ts`: modelmux in Express (`modelmux`) or
 * the Express floor (`floor`), as the bench runs them, with clock readings
 * (process.hrtime) of each request: when Express emits it, when undici
 * sends the upstream request's headers and receives the answer's
 * (diagnostics channels), and the first `res.write`. The stamping costs
 * both targets alike: a middleware before theirs, and an own `write` field
 * on every `res`.
 */
import { createServer, type ServerResponse } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import diagnostics from "node:diagnostics_channel";
import express from "express";
import { mountExpressFloor } from "./mount-express-floor.js";
import type { ChildHooks } from "./serve-bench-child.js";
import { serveBenchChild } from "./serve-bench-child.js";

const [mode, upstreamBase] = process.argv.slice(2) as ["modelmux" | "floor", string];
type Stamps = { arrived: string; sent?: string; answered?: string; firstWrite?: string };
const rows: Stamps[] = [];
let current: Stamps | undefined;
const now = () => String(process.hrtime.bigint());
// One request at a time: the upstream events belong to the request under way.
diagnostics.channel("undici:client:sendHeaders").subscribe(() => current && (current.sent ??= now()));
diagnostics.channel("undici:request:headers").subscribe(() => current && (current.answered ??= now()));

const app = express();
app.use((_req, res, next) => {
  const row: Stamps = { arrived: now() };
  current = row;
  rows.push(row);
  const write = res.write;
  res.write = function (this: ServerResponse, ...args: Parameters<ServerResponse["write"]>) {
    row.firstWrite ??= now();
    return write.apply(this, args);
  } as ServerResponse["write"];
  next();
});
let hooks: ChildHooks = {};
if (mode === "modelmux") {
  const { expressGateway } = await import("modelmux/express");
  const { createBenchGateway } = await import("./create-bench-gateway.js");
  const dir = mkdtempSync(join(tmpdir(), "modelmux-ttfc-"));
  const made = await createBenchGateway(upstreamBase, { db: join(dir, "store.db") });
  app.use("/v1", expressGateway(made.gateway));
  hooks = {
    ...made.hooks,
    close: async () => {
      await made.hooks.close?.();
      rmSync(dir, { recursive: true, force: true });
    },
  };
} else {
  mountExpressFloor(app, upstreamBase);
}
serveBenchChild(createServer(app), `stamped-${mode}`, { ...hooks, extra: async () => ({ stamps: rows.splice(0) }) });
