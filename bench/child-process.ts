/**
 * The parent side of the bench protocol: fork a server in its own Node
 * process (TypeScript through tsx), wait for its port, and ask it for its
 * own CPU and memory figures over IPC.
 */
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { ChildStats } from "./servers/serve-bench-child.js";

export interface ServerHandle {
  name: string;
  port: number;
  pid: number;
  url: string;
  info: Record<string, unknown>;
  stats(opts?: { gc?: boolean; extra?: boolean }): Promise<ChildStats>;
  stop(): Promise<void>;
}

export interface SpawnOptions {
  /** Extra node flags, e.g. ["--cpu-prof", "--cpu-prof-dir=..."] or ["--expose-gc"]. */
  nodeFlags?: string[];
  startTimeoutMs?: number;
  /** A program the server's node runs under, with its own arguments first (e.g. ["valgrind", "--tool=callgrind"]). */
  wrapper?: string[];
}

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

export function spawnServer(name: string, file: string, args: string[], opts: SpawnOptions = {}): Promise<ServerHandle> {
  // --allow-natives-syntax lets a server report whether its req and res kept one hidden class (ChildStats.maps).
  const nodeArgs = ["--import", "tsx", "--allow-natives-syntax", ...(opts.nodeFlags ?? [])];
  const [wrapper, ...wrapperArgs] = opts.wrapper ?? [];
  const child: ChildProcess = fork(here(file), args, {
    ...(wrapper ? { execPath: wrapper, execArgv: [...wrapperArgs, process.execPath, ...nodeArgs] } : { execArgv: nodeArgs }),
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    // "modelmux" resolves to the built package (dist/), as it does for a host; `npm run bench` builds it first.
    env: { ...process.env, NODE_ENV: "production", TSX_TSCONFIG_PATH: here("./tsconfig.dist.json") },
  });
  let nextId = 0;
  const waiting = new Map<number, (s: ChildStats) => void>();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${name} did not start within ${opts.startTimeoutMs ?? 120_000} ms`));
    }, opts.startTimeoutMs ?? 120_000);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with code ${code} before it was ready`));
    });
    child.on("message", (raw) => {
      const m = raw as { type: string; id?: number; stats?: ChildStats; port?: number; pid?: number };
      if (m.type === "stats" && m.id !== undefined) {
        waiting.get(m.id)?.(m.stats!);
        waiting.delete(m.id);
        return;
      }
      if (m.type !== "ready") return;
      clearTimeout(timer);
      const { type: _t, name: _n, port, pid, ...info } = m as Record<string, unknown> & { port: number; pid: number };
      resolve({
        name,
        port,
        pid,
        url: `http://127.0.0.1:${port}`,
        info,
        stats: (o = {}) =>
          new Promise((res) => {
            const id = nextId++;
            waiting.set(id, res);
            child.send({ type: "stats", id, ...o });
          }),
        stop: () =>
          new Promise((res) => {
            if (child.exitCode !== null) return res();
            const kill = setTimeout(() => child.kill("SIGKILL"), 10_000);
            child.removeAllListeners("exit");
            child.once("exit", () => {
              clearTimeout(kill);
              res();
            });
            child.send({ type: "exit" });
          }),
      });
    });
  });
}
