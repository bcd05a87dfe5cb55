/** The servers the bench compares, each started in its own process. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnServer, type ServerHandle } from "./child-process.js";
import type { BenchGatewayOptions } from "./servers/create-bench-gateway.js";

export type TargetName =
  | "floor-node"
  | "floor-express"
  | "modelmux-express"
  | "modelmux-koa"
  | "floor-express-preset"
  | "modelmux-express-preset"
  | "modelmux-node"
  | "express-raw";
/** What a default run measures. */
export const ALL_TARGETS: TargetName[] = ["floor-node", "floor-express", "modelmux-express", "modelmux-koa"];
/** What `--preset` adds: the Express floor and modelmux in Express on servers from createServerOptions (README, "Mounting"). */
export const PRESET_TARGETS: TargetName[] = ["floor-express-preset", "modelmux-express-preset"];
/** What `--targets` and `--profile` accept: modelmux on bare node:http shows how much of the cost is the framework's. */
export const KNOWN_TARGETS: TargetName[] = [...ALL_TARGETS, ...PRESET_TARGETS, "modelmux-node", "express-raw"];

export const TARGET_LABELS: Record<TargetName, string> = {
  "floor-node": "floor: node:http + undici passthrough",
  "floor-express": "floor: Express 5 + express.json + undici",
  "modelmux-express": "modelmux in Express (full pipeline)",
  "modelmux-koa": "modelmux in Koa (full pipeline)",
  "floor-express-preset": "Express floor, server from createServerOptions",
  "modelmux-express-preset": "modelmux in Express, createServerOptions",
  "modelmux-node": "modelmux before Express (nodeGateway)",
  "express-raw": "Express 5 + raw passthrough (no parser)",
};

const FILES: Record<TargetName, string> = {
  "floor-node": "./servers/floor-node.ts",
  "floor-express": "./servers/floor-express.ts",
  "modelmux-express": "./servers/modelmux-express.ts",
  "modelmux-koa": "./servers/modelmux-koa.ts",
  "floor-express-preset": "./servers/floor-express-preset.ts",
  "modelmux-express-preset": "./servers/modelmux-express-preset.ts",
  "modelmux-node": "./servers/modelmux-node.ts",
  "express-raw": "./servers/express-raw.ts",
};

export interface Target {
  name: TargetName;
  server: ServerHandle;
  /** Headers every request to it carries (the API key for modelmux). */
  headers: Record<string, string>;
  isModelmux: boolean;
  /** The SQLite file of a modelmux target's store. */
  db?: string;
}

export function benchTmpDir(): string {
  return mkdtempSync(join(tmpdir(), "modelmux-bench-"));
}

export function startMock(nodeFlags: string[] = []): Promise<ServerHandle> {
  return spawnServer("mock", "./mock-upstream.ts", [], { nodeFlags });
}

export async function startTarget(
  name: TargetName,
  upstreamBase: string,
  opts: { dir: string; gateway?: Partial<BenchGatewayOptions>; nodeFlags?: string[]; wrapper?: string[]; label?: string },
): Promise<Target> {
  const isModelmux = name.startsWith("modelmux");
  const gatewayOpts: BenchGatewayOptions = { db: join(opts.dir, `${opts.label ?? name}.db`), ...opts.gateway };
  const args = isModelmux ? [upstreamBase, JSON.stringify(gatewayOpts)] : [upstreamBase];
  const server = await spawnServer(opts.label ?? name, FILES[name], args, { nodeFlags: opts.nodeFlags, wrapper: opts.wrapper });
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (isModelmux) headers.authorization = `Bearer ${String(server.info.key)}`;
  return { name, server, headers, isModelmux, db: isModelmux ? gatewayOpts.db : undefined };
}

export const chatUrl = (server: ServerHandle) => `${server.url}/v1/chat/completions`;
