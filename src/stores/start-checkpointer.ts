import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/** WAL frames (4 KiB pages) past which the log is made to start over: about 8 MB. */
const RESTART_FRAMES = 2000;

export interface Checkpointer {
  /** Last checkpoint (TRUNCATE), then the thread ends. */
  stop(): Promise<void>;
}

// Runs in the worker (eval; dynamic imports, so it runs as a CommonJS script or as a module alike):
// its own connection to the file, PASSIVE checkpoints on a timer.
const WORKER = `
(async () => {
  const { parentPort, workerData } = await import("node:worker_threads");
  const { createRequire } = await import("node:module");
  const Database = createRequire(workerData.driver)(workerData.driver);
  const db = new Database(workerData.path);
  db.pragma("busy_timeout = 1000");
  const checkpoint = (mode) => { try { return db.pragma("wal_checkpoint(" + mode + ")")[0]; } catch { /* busy: the next tick */ } };
  // PASSIVE copies without ever holding up the writer; under steady writes it rarely finishes the whole log,
  // so the log would never start over. Past restartFrames, a RESTART copies the little PASSIVE left and
  // lets the next commit start the log from its beginning (the writer waits only for that short step).
  const timer = setInterval(() => {
    const done = checkpoint("PASSIVE");
    if (done && done.log >= workerData.restartFrames) checkpoint("RESTART");
  }, workerData.intervalMs);
  parentPort.on("message", (m) => {
    if (m !== "stop") return;
    clearInterval(timer);
    checkpoint("TRUNCATE");
    db.close();
    parentPort.close();
  });
})();
`;

/**
 * Copies the WAL back into the database file from a worker thread, every
 * `intervalMs`, so the event loop never does it: SQLite's automatic
 * checkpoint runs inside the commit that crosses its threshold and blocked
 * every request in flight for up to ~100 ms (measured: a 10,000-page WAL).
 * undefined when a thread cannot be started (the caller keeps SQLite's own).
 */
export function startCheckpointer(path: string, intervalMs: number, onError: (error: unknown) => void): Checkpointer | undefined {
  let worker: Worker;
  try {
    const driver = createRequire(import.meta.url).resolve("better-sqlite3");
    // No inherited flags: a loader the host runs under (tsx, say) has nothing to do in this thread.
    worker = new Worker(WORKER, { eval: true, execArgv: [], workerData: { path, intervalMs, driver, restartFrames: RESTART_FRAMES } });
  } catch (error) {
    onError(error);
    return undefined;
  }
  worker.unref();
  worker.on("error", onError);
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  return {
    stop() {
      worker.ref(); // the process waits for the last checkpoint instead of exiting under it
      worker.postMessage("stop");
      return exited;
    },
  };
}
