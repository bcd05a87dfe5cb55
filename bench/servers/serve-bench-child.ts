/**
 * The child side of the bench protocol: listen on a free loopback port,
 * count finished responses, and answer the parent's IPC messages with this
 * process's own CPU time (process.cpuUsage), RSS, heap and peak RSS.
 */
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * V8's hidden-class check, when the process runs with
 * `--allow-natives-syntax` (spawnServer starts every server with it; the
 * flag only lets `%` calls parse). Absent otherwise.
 */
const natives = await import("../../test/helpers/v8-natives.js").catch(() => undefined);

export interface ChildStats {
  /** Microseconds of user and system CPU since the process started. */
  userUs: number;
  systemUs: number;
  /** Responses finished since start. */
  finished: number;
  /** TCP connections accepted since start (keep-alive reuse shows as few). */
  connections: number;
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  /** Peak resident set size, bytes (getrusage ru_maxrss). */
  maxRss: number;
  /** Minor page faults since start (getrusage ru_minflt): memory fresh from the kernel, touched for the first time. */
  minorFaults: number;
  /**
   * Whether the last request's `req` and `res` ended with the hidden class
   * of the request two before it (the same kind, in every phase of the
   * bench): in Express that holds only where modelmux's adapter restored a
   * shared one, and only in processes where V8's normalized map cache kept
   * it (see bench/README.md).
   */
  maps?: { req: boolean; res: boolean };
  extra?: Record<string, unknown>;
}

export interface ChildHooks {
  /** Sent with the ready message (e.g. the API key the child created). */
  info?: Record<string, unknown>;
  /** Extra figures for a stats answer (e.g. usage rows written). */
  extra?: () => Promise<Record<string, unknown>>;
  close?: () => Promise<void>;
}

type Message = { type: "stats"; id: number; gc?: boolean; extra?: boolean } | { type: "exit" };

export function serveBenchChild(server: Server, name: string, hooks: ChildHooks = {}): void {
  let finished = 0;
  let connections = 0;
  const onFinish = () => finished++;
  server.on("connection", () => connections++);
  const recent: Array<[IncomingMessage, ServerResponse]> = [];
  server.on("request", (req, res) => {
    res.once("finish", onFinish);
    if (!natives) return;
    recent.push([req, res]);
    if (recent.length > 3) recent.shift();
  });
  server.keepAliveTimeout = 65_000;

  const send = (m: unknown) => process.send?.(m);
  process.on("message", (raw) => {
    const m = raw as Message;
    if (m.type === "stats") void answerStats(m);
    if (m.type === "exit") void exit();
  });
  // An orphaned child (parent killed) must not linger.
  process.on("disconnect", () => void exit());

  async function answerStats(m: { id: number; gc?: boolean; extra?: boolean }) {
    const gc = (globalThis as { gc?: () => void }).gc;
    if (m.gc && gc) gc();
    const cpu = process.cpuUsage();
    const mem = process.memoryUsage();
    const usage = process.resourceUsage();
    const stats: ChildStats = {
      userUs: cpu.user,
      systemUs: cpu.system,
      finished,
      connections,
      rss: mem.rss,
      heapUsed: mem.heapUsed,
      heapTotal: mem.heapTotal,
      external: mem.external,
      maxRss: usage.maxRSS * 1024,
      minorFaults: usage.minorPageFault,
    };
    if (natives && recent.length === 3) {
      const [[req0, res0], , [req2, res2]] = recent as [[IncomingMessage, ServerResponse], unknown, [IncomingMessage, ServerResponse]];
      stats.maps = { req: natives.sameMap(req0, req2), res: natives.sameMap(res0, res2) };
    }
    if (m.extra && hooks.extra) stats.extra = await hooks.extra().catch((e: unknown) => ({ error: String(e) }));
    send({ type: "stats", id: m.id, stats });
  }

  let exiting = false;
  async function exit() {
    if (exiting) return;
    exiting = true;
    server.closeAllConnections();
    server.close();
    await hooks.close?.().catch(() => undefined);
    // process.exit (not a signal) so --cpu-prof writes its profile.
    process.exit(0);
  }

  server.listen(0, "127.0.0.1", () => {
    const { port } = server.address() as AddressInfo;
    send({ type: "ready", name, port, pid: process.pid, ...hooks.info });
  });
}
