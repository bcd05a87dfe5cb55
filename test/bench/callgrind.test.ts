import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { nameGeneratedCode, parseCallgrind, sumByPart, topFunctions } from "../../bench/callgrind.js";

/** A callgrind file as valgrind 3.19 writes it with --dump-instr=no: compressed names, relative lines, call costs. */
const DUMP = [
  "version: 1",
  "creator: callgrind-3.19.0",
  "events: Ir",
  "summary: 850",
  "ob=(1) /usr/bin/node",
  "fl=(1) ???",
  "fn=(1) v8::internal::JSObject::MigrateToMap(v8::internal::Isolate*)",
  "0 100",
  "+2 50",
  "fn=(2) 0x0000000000001010",
  "0 300",
  "cfn=(1)",
  "calls=2 0",
  "0 150",
  "* 20",
  "ob=(2) /app/node_modules/better-sqlite3/build/Release/better_sqlite3.node",
  "fn=(3) sqlite3VdbeExec",
  "-1 200",
  "cfn=(4) Builtins_LoadIC",
  "calls=1 0",
  "0 999",
  "ob=(1)",
  "fn=(4)",
  "0 80",
  "fn=(6) v8::internal::StringTable::Data::FindEntry()",
  "0 0",
  "ob=(3) ???",
  "fn=(5) 0x0000000000009000",
  "0 100",
  "totals: 850",
].join("\n");

const PERF_MAP = ["1000 100 JS:*take file:///app/node_modules/modelmux/dist/index.js:10:5", "2000 10 JS:~other node:events:1:1"].join("\n");

describe("reading callgrind output", () => {
  it("sums each function's own instructions, leaving a call's cost to the callee", () => {
    const self = parseCallgrind(DUMP);
    expect(self.total).toBe(850);
    expect(Object.fromEntries(self.costs)).toEqual({
      "v8::internal::JSObject::MigrateToMap(v8::internal::Isolate*)": 150,
      "0x0000000000001010": 320,
      sqlite3VdbeExec: 200,
      Builtins_LoadIC: 80,
      "v8::internal::StringTable::Data::FindEntry()": 0,
      "0x0000000000009000": 100,
    });
    expect(self.objects.get("sqlite3VdbeExec")).toMatch(/better_sqlite3\.node$/);
    expect(self.objects.get("Builtins_LoadIC")).toBe("/usr/bin/node");
  });

  it("reads Ir among other events (--cache-sim) and sums every event, trailing zeros left out", () => {
    const dump = ["events: Ir D1mr DLmr", "fn=(1) a", "0 100 4 1", "+1 50", "cfn=(2) b", "calls=1 0", "0 999 99 9", "fn=(2)", "0 30 2"].join("\n");
    const self = parseCallgrind(dump);
    expect(Object.fromEntries(self.costs)).toEqual({ a: 150, b: 30 });
    expect(self.total).toBe(180);
    expect(self.events).toEqual({ Ir: 180, D1mr: 6, DLmr: 1 });
  });

  it("names generated code through the perf map, and sums the parts of a request", () => {
    const named = nameGeneratedCode(parseCallgrind(DUMP), PERF_MAP);
    expect(named.costs.get("JIT JS:*take file:///app/node_modules/modelmux/dist/index.js:10:5")).toBe(320);
    expect(named.costs.get("JIT code (unnamed)")).toBe(100);
    const parts = sumByPart(named);
    expect(parts.get("JS: modelmux")).toBe(320);
    // By the file its code is in, not by its name: V8's own `...::Data::` is not SQLite.
    expect(parts.get("SQLite (better-sqlite3)")).toBe(200);
    expect(parts.get("inline-cache misses, property lookup, maps")).toBe(150 + 80);
    expect(parts.get("JS: other")).toBe(100);
    expect([...parts.values()].reduce((a, b) => a + b, 0)).toBe(named.total);
    expect(topFunctions(named, 2).map(([name]) => name)).toEqual(["JIT JS:*take file:///app/node_modules/modelmux/dist/index.js:10:5", "sqlite3VdbeExec"]);
  });

  const valgrind = spawnSync("valgrind", ["--version"]).status === 0;
  it.skipIf(!valgrind)("finds a hot JS function of a real node process by name", () => {
    const dir = mkdtempSync(join(tmpdir(), "modelmux-callgrind-"));
    try {
      const script = "function spinAWhile(n){let s=0;for(let i=0;i<n;i++)s+=i%7;return s}let t=0;for(let k=0;k<200;k++)t+=spinAWhile(20000);console.log(t)";
      execFileSync("valgrind", ["--tool=callgrind", "--quiet", "--dump-instr=no", `--callgrind-out-file=${dir}/cg.%p`, process.execPath, "--perf-basic-prof", "-e", script], { stdio: "pipe" });
      const dump = readdirSync(dir).find((f) => f.startsWith("cg."))!;
      const pid = dump.slice(3);
      const perfMap = `/tmp/perf-${pid}.map`;
      const named = nameGeneratedCode(parseCallgrind(readFileSync(join(dir, dump), "utf8")), readFileSync(perfMap, "utf8"));
      rmSync(perfMap, { force: true });
      const spin = [...named.costs].filter(([name]) => name.includes("spinAWhile")).reduce((a, [, ir]) => a + ir, 0);
      // 4M iterations of a few instructions each: far above anything else the script runs.
      expect(spin).toBeGreaterThan(4_000_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
