/**
 * The long-stream check (issue 4): one streamed answer of `seconds` seconds
 * (an event a second) through modelmux in Express with its default timeouts.
 * It passes if every event arrives and the stream ends with usage and
 * [DONE], no error event: no hidden 60/180/300 s cap cuts a healthy stream.
 */
import { request } from "node:http";
import { LONGSTREAM_MODEL } from "./fixtures.js";
import type { Verdict } from "./report.js";
import { chatUrl, startTarget } from "./targets.js";

export async function runLongStream(opts: { dir: string; upstreamBase: string; seconds: number; log: (l: string) => void }) {
  const target = await startTarget("modelmux-express", opts.upstreamBase, { dir: opts.dir, label: "modelmux-long" });
  try {
    opts.log(`long stream: ${opts.seconds} s through modelmux-express (default timeouts)`);
    const body = JSON.stringify({ model: LONGSTREAM_MODEL, stream: true, max_tokens: opts.seconds, messages: [{ role: "user", content: "talk slowly" }] });
    const started = performance.now();
    const text = await new Promise<string>((resolve, reject) => {
      const req = request(chatUrl(target.server), { method: "POST", headers: { ...target.headers, "content-length": Buffer.byteLength(body) } }, (res) => {
        let out = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (out += c));
        res.on("end", () => resolve(out));
        res.on("error", reject);
      });
      req.on("error", reject);
      req.end(body);
    });
    const seconds = (performance.now() - started) / 1000;
    const data = text.split("\n").filter((l) => l.startsWith("data: ")).map((l) => l.slice(6));
    const errors = data.filter((d) => d.includes('"error"')).length;
    const withUsage = data.some((d) => d.includes('"usage"'));
    const ok = data.at(-1) === "[DONE]" && errors === 0 && withUsage && seconds >= opts.seconds - 1;
    const lines = [
      "Long stream (no hidden cap)",
      `  ${data.length} events over ${seconds.toFixed(1)} s, ends with [DONE]: ${data.at(-1) === "[DONE]"}, usage: ${withUsage}, error events: ${errors}`,
    ];
    const verdicts: Verdict[] = [{ target: `modelmux-express: a healthy ${opts.seconds} s stream is not cut`, value: `${data.length} events in ${seconds.toFixed(1)} s`, pass: ok }];
    return { lines, verdicts };
  } finally {
    await target.server.stop();
  }
}
