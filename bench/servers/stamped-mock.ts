/**
 * The mock upstream of `bench/ttfc-steps.ts`: a 22-event stream with a
 * 10 ms pause after the first event (as the bench's slow-tail model), and
 * a clock reading (process.hrtime, the machine's monotonic clock, the same
 * in every process) when each request's body has arrived and when its
 * first event is written.
 */
import { createServer } from "node:http";
import { SLOWTAIL_PAUSE_MS, sseFrames } from "../fixtures.js";
import { serveBenchChild } from "./serve-bench-child.js";

const frames = sseFrames();
const stamps: Array<{ arrived: string; firstWrite: string }> = [];
const server = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    const arrived = String(process.hrtime.bigint());
    res.writeHead(200, { "content-type": "text/event-stream" });
    res.write(frames[0]);
    stamps.push({ arrived, firstWrite: String(process.hrtime.bigint()) });
    setTimeout(() => {
      for (const f of frames.slice(1)) res.write(f);
      res.end();
    }, SLOWTAIL_PAUSE_MS);
  });
});
serveBenchChild(server, "stamped-mock", { extra: async () => ({ stamps: stamps.splice(0) }) });
