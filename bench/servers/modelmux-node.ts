/** modelmux on bare node:http: the Express adapter's steps without a framework (how much of the cost is the host's). */
import { createServer } from "node:http";
import { cancelFor, readRequestBody, toErrorBody, writeGatewayResponse } from "modelmux";
import { createBenchGateway } from "./create-bench-gateway.js";
import { serveBenchChild } from "./serve-bench-child.js";

const { gateway, hooks } = await createBenchGateway(process.argv[2]!, JSON.parse(process.argv[3]!));
const server = createServer(async (req, res) => {
  const path = (req.url ?? "/").replace(/^\/v1/, "");
  try {
    const body = req.method === "GET" ? undefined : await readRequestBody(req, undefined, gateway.maxBodyBytes);
    const response = await gateway.handle({ method: req.method ?? "GET", path, headers: req.headers, body, cancel: cancelFor(res) });
    if (response.kind === "pass") {
      res.writeHead(404).end();
      return;
    }
    await writeGatewayResponse(res, response);
  } catch (error) {
    if (res.headersSent) return void res.destroy();
    const { status, body, headers } = toErrorBody(error);
    await writeGatewayResponse(res, { kind: "json", status, headers, body });
  }
});
serveBenchChild(server, "modelmux-node", hooks);
