import { request } from "node:http";

/** POSTs a body with Transfer-Encoding: chunked (no Content-Length), written in 16 KiB pieces. */
export function postChunked(url: string, body: string, headers: Record<string, string>): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", headers: { ...headers, "transfer-encoding": "chunked" } }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }));
    });
    req.on("error", reject);
    const piece = 16 * 1024;
    let i = 0;
    const writeMore = () => {
      while (i < body.length) {
        const ok = req.write(body.slice(i, i + piece));
        i += piece;
        if (!ok) return void req.once("drain", writeMore);
      }
      req.end();
    };
    writeMore();
  });
}
