import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const child = fileURLToPath(new URL("./children/express-hidden-classes-child.ts", import.meta.url));
const run = async (server: "plain" | "preset") => {
  const { stdout } = await promisify(execFile)(process.execPath, ["--allow-natives-syntax", "--import", "tsx", child, server], { timeout: 60_000 });
  const result = JSON.parse(stdout.trim().split("\n").at(-1)!) as Record<string, boolean>;
  return { count: Object.keys(result).length, failed: Object.entries(result).filter(([, ok]) => !ok) };
};

/**
 * Express sets the prototype of every `req` and `res`, and on node 20 each
 * field added after that gives the objects hidden classes no other request
 * shares: every property access on them misses V8's caches (issue 7; see
 * bench/README.md). The Express adapter turns the objects it serves into
 * dictionaries, whose maps V8 shares through its normalized map cache.
 * Without that step every pair below is false, in every process. On a
 * server from createServerOptions, Express changes no prototype and the
 * objects share their maps as they are (fast properties, no step).
 *
 * Up to three processes: V8's cache of dictionary maps is small and
 * hashed, and in about one process in twelve another map takes `req`'s or
 * `res`'s slot, so that object never shares in that process (8 of 115
 * bench-like processes; `npm run bench:shared-maps`, bench/README.md).
 */
describe("Express requests served by the gateway", () => {
  it.each([
    ["plain", 10],
    ["preset", 18],
  ] as const)("share their hidden classes from one request to the next (Express 5 and 4, JSON and streamed, %s server)", async (server, count) => {
    let last = await run(server);
    for (let attempt = 1; attempt < 3 && last.failed.length > 0; attempt++) last = await run(server);
    expect(last.count).toBe(count);
    expect(last.failed).toEqual([]);
  }, 120_000);
});
