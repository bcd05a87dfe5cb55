/**
 * Preloaded into a bench server for `--alloc` (`node --import` after tsx):
 * the first SIGUSR2 starts V8's sampling heap profiler, counting objects a
 * garbage collection has already freed too (a request's garbage is what
 * the GC share of a CPU profile pays for); the second stops it and writes
 * the profile to the path in MODELMUX_BENCH_ALLOC_OUT (a .heapprofile,
 * which Chrome DevTools also opens). With MODELMUX_BENCH_ALLOC_SURVIVORS=1
 * (`--alloc ... --survivors`) objects a young-generation collection freed
 * are left out: what is left outlived one (promoted to the old generation,
 * live or freed later by a full collection).
 */
import { renameSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector";

const out = process.env.MODELMUX_BENCH_ALLOC_OUT;
const session = new Session();
session.connect();
const post = <T>(method: string, params: object = {}) =>
  new Promise<T>((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result as T))));

let sampling = false;
process.on("SIGUSR2", () => {
  sampling = !sampling;
  const step = sampling
    ? post("HeapProfiler.startSampling", { samplingInterval: 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: process.env.MODELMUX_BENCH_ALLOC_SURVIVORS !== "1" })
    : post<{ profile: unknown }>("HeapProfiler.stopSampling").then(({ profile }) => {
        if (!out) return;
        // Whole or not at all: the bench waits for the file to appear.
        writeFileSync(`${out}.part`, JSON.stringify(profile));
        renameSync(`${out}.part`, out);
      });
  step.catch((error: unknown) => console.error("[sample-allocations]", error));
});
