/**
 * Reading what valgrind's callgrind wrote about a server process: the
 * instructions each function executed itself (self cost), with the code V8
 * generated at run time named through the process's perf map
 * (`node --perf-basic-prof` writes /tmp/perf-<pid>.map), and those costs
 * summed into the parts of a request (modelmux's own JS, Node's, GC, the
 * JIT compiler, inline-cache misses, SQLite, ...). Used by
 * `bench/count-instructions.ts`.
 */

/** Instructions per function, by the name callgrind gave it (an address for generated code). */
export interface SelfCosts {
  costs: Map<string, number>;
  /** The file each function's code is in (`/usr/bin/node`, `.../better_sqlite3.node`, `???` for generated code). */
  objects: Map<string, string>;
  /** Instructions in all (the sum of `costs`). */
  total: number;
  /** Every event the file counts, in all: `Ir`, and with `--cache-sim=yes` the cache misses (`D1mr`, `DLmr`, ...). */
  events: Record<string, number>;
}

/**
 * The self cost of every function in a callgrind output file. Names are
 * compressed (`fn=(12) name` once, then `fn=(12)`); a cost line gives the
 * positions (`positions:`, one column by default) and then one number per
 * event of `events:`, trailing zeros left out; the line after `calls=` is
 * the callee's inclusive cost and belongs to the callee, not to the
 * caller's self cost.
 */
export function parseCallgrind(text: string): SelfCosts {
  const names = new Map<string, string>();
  const files = new Map<string, string>();
  const costs = new Map<string, number>();
  const objects = new Map<string, string>();
  let object = "???";
  let current: string | undefined;
  let callCost = false;
  let total = 0;
  let positions = 1;
  let eventNames = ["Ir"];
  let events = new Array<number>(1).fill(0);
  let irAt = 0;
  for (const line of text.split("\n")) {
    if (line.startsWith("positions:")) {
      positions = line.slice(10).trim().split(/\s+/).length;
      continue;
    }
    if (line.startsWith("events:")) {
      eventNames = line.slice(7).trim().split(/\s+/);
      events = new Array<number>(eventNames.length).fill(0);
      irAt = eventNames.indexOf("Ir");
      continue;
    }
    if (callCost) {
      callCost = false;
      continue;
    }
    const fn = /^(c?fn)=\((\d+)\)(?: (.*))?$/.exec(line);
    if (fn) {
      if (fn[3] !== undefined) names.set(fn[2]!, fn[3]);
      if (fn[1] === "fn") {
        current = fn[2]!;
        objects.set(names.get(current) ?? current, object);
      }
      continue;
    }
    // The object file of the functions that follow (`ob=`), or a name given with a callee's (`cob=`).
    const ob = /^(c?ob)=\((\d+)\)(?: (.*))?$/.exec(line);
    if (ob) {
      if (ob[3] !== undefined) files.set(ob[2]!, ob[3]);
      if (ob[1] === "ob") object = files.get(ob[2]!) ?? ob[2]!;
      continue;
    }
    if (line.startsWith("calls=")) {
      callCost = true;
      continue;
    }
    const c = line.charCodeAt(0);
    const isCost = (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 42; // digit, +, -, *
    if (!isCost || current === undefined) continue;
    const values = line.split(" ");
    for (let e = 0; e < eventNames.length; e++) events[e]! += Number(values[positions + e] ?? 0) || 0;
    const ir = Number(values[positions + irAt] ?? 0) || 0;
    const name = names.get(current) ?? current;
    costs.set(name, (costs.get(name) ?? 0) + ir);
    total += ir;
  }
  return { costs, objects, total, events: Object.fromEntries(eventNames.map((e, i) => [e, events[i]!])) };
}

interface CodeRange {
  start: number;
  end: number;
  name: string;
}

/** A perf map (`<hex start> <hex size> <name>` per line) as sorted ranges. */
function readPerfMap(text: string): CodeRange[] {
  const ranges: CodeRange[] = [];
  for (const line of text.split("\n")) {
    const m = /^([0-9a-f]+) ([0-9a-f]+) (.*)$/i.exec(line);
    if (!m) continue;
    const start = Number.parseInt(m[1]!, 16);
    ranges.push({ start, end: start + Number.parseInt(m[2]!, 16), name: m[3]! });
  }
  return ranges.sort((a, b) => a.start - b.start);
}

/**
 * The self costs with generated code named: callgrind names a function it
 * has no symbol for by its address (`0x000000000d1f71c0`), which the perf
 * map resolves to V8's name for the code (`JS:*take file:///.../index.js:1884:16`,
 * `RegExp:...`). Addresses the map does not cover stay as one "JIT code (unnamed)".
 */
export function nameGeneratedCode(self: SelfCosts, perfMap: string): SelfCosts {
  const ranges = readPerfMap(perfMap);
  const costs = new Map<string, number>();
  const objects = new Map(self.objects);
  for (const [name, ir] of self.costs) {
    let named = name;
    const address = /^0x([0-9a-f]+)$/.exec(name);
    if (address) {
      const at = Number.parseInt(address[1]!, 16);
      let lo = 0;
      let hi = ranges.length - 1;
      let found: CodeRange | undefined;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const r = ranges[mid]!;
        if (at < r.start) hi = mid - 1;
        else if (at >= r.end) lo = mid + 1;
        else {
          found = r;
          break;
        }
      }
      named = found ? `JIT ${found.name}` : "JIT code (unnamed)";
      objects.set(named, "???");
    }
    costs.set(named, (costs.get(named) ?? 0) + ir);
  }
  return { costs, objects, total: self.total, events: self.events };
}

/**
 * The parts of a request's cost, first match wins: JS by where it comes
 * from, then the engine's and the libraries' own C++. Each pattern is
 * tested against `<function> @<object file>`.
 */
export const PARTS: ReadonlyArray<readonly [string, RegExp]> = [
  ["JS: modelmux", /^JIT .*\/dist\/(index|express|koa)\.js/],
  ["JS: undici", /^JIT .*node_modules\/undici\//],
  ["JS: Express and its parsers", /^JIT .*node_modules\/(express|router|body-parser|raw-body|parseurl|finalhandler|type-is|content-type|iconv-lite|on-finished|statuses|http-errors|bytes|media-typer|mime-types|qs)\//],
  ["JS: Koa", /^JIT .*node_modules\/(koa|koa-compose|@koa)\//],
  ["JS: Node's own (node:*)", /^JIT .*node:/],
  ["JS: regular expressions", /^JIT RegExp:/],
  ["JS: other", /^JIT /],
  ["SQLite (better-sqlite3)", /@[^@]*better_sqlite3\.node$/],
  ["garbage collection", /Scaveng|Marking|MarkCompact|Sweep|Heap::|Evacuat|BodyDescriptor|heap::|Remembered|SlotSet|cppgc|MemoryChunk|FreeList|ConcurrentMarking|MinorMC|IncrementalMarking/],
  ["JIT compiler", /compiler::|Compile|Zone::|Turbofan|Baseline|Parser|Scanner|Bytecode|Sparkplug|Maglev|Ast|DeclarationScope|Preparse|Deoptimizer|OptimizedCompilationJob/],
  ["inline-cache misses, property lookup, maps", /IC|LookupIterator|Map::|DescriptorArray|MigrateToMap|FieldIndex|Transition|StubCache|Feedback|Dictionary|Normaliz|PrototypeIterator|MakePrototypesFast|Runtime_|Object::Set|Object::Get|JSObject::|JSReceiver::|Runtime::/],
  ["JSON.parse / JSON.stringify", /Json/],
  ["strings (flatten, UTF-8)", /String|Utf8|utf8|Utf16/],
  ["malloc and memcpy", /memcpy|memset|memmove|memcmp|malloc|free|_int_|operator new|operator delete/],
  ["engine builtins", /^Builtins_/],
  ["Node and libuv C++", /node::|uv_|uv__/],
  ["other", /./],
];

/** Instructions by part, in the order of PARTS. */
export function sumByPart(self: SelfCosts): Map<string, number> {
  const parts = new Map<string, number>(PARTS.map(([name]) => [name, 0]));
  for (const [name, ir] of self.costs) {
    const subject = `${name} @${self.objects.get(name) ?? "???"}`;
    const part = PARTS.find(([, rx]) => rx.test(subject))![0];
    parts.set(part, parts.get(part)! + ir);
  }
  return parts;
}

/** The `n` functions with the most self cost. */
export function topFunctions(self: SelfCosts, n: number): Array<[string, number]> {
  return [...self.costs].sort((a, b) => b[1] - a[1]).slice(0, n);
}
