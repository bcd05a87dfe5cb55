import type { Admission, Principal } from "../accounts/accounts.js";
import { finalizeUsage } from "../accounting/finalize-usage.js";
import type { CatalogModel } from "../catalog/catalog-model.js";
import { buildUsageRecord } from "../core/build-usage-record.js";
import type { GatewayRuntime } from "../core/gateway-runtime.js";
import { GatewayError } from "../errors/gateway-error.js";
import { collectNativeUsage } from "./collect-native-usage.js";
import type { NativeKind, NativeTap } from "./native-types.js";
import { toNativeError } from "./to-native-error.js";

export interface TapInput {
  rt: GatewayRuntime;
  kind: NativeKind;
  provider: string;
  upstreamModel: string;
  model: CatalogModel;
  principal: Principal;
  admission: Admission;
  requestId: string;
  generationId: string;
  startedAt: number;
  user?: string;
}

/** A JSON body is kept for its usage up to this size; past it the answer still flows, unaccounted by tokens. */
const JSON_CAP = 16 * 1024 * 1024;

/**
 * Reads usage off a proxied native answer as it streams past, without
 * holding the stream back: SSE is parsed line by line (only the current
 * line is kept), a JSON body is collected and parsed at the end. Whichever
 * of end / close / error comes first settles the request and writes the
 * usage record, once.
 */
export function createUsageTap(t: TapInput): NativeTap {
  const collector = collectNativeUsage(t.kind);
  const decoder = new TextDecoder();
  let status = 0;
  let sse = false;
  let ttftMs: number | null = null;
  let line = "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  let finished = false;

  const readLine = (text: string) => {
    const l = text.replace(/\r$/, "");
    if (!l.startsWith("data:")) return;
    try {
      collector.add(JSON.parse(l.slice(5).trim()));
    } catch {
      /* [DONE] or a partial payload: not usage */
    }
  };
  const flush = () => {
    if (sse) {
      line += decoder.decode();
      readLine(line);
      line = "";
    } else if (size > 0 && size <= JSON_CAP) {
      try {
        collector.add(JSON.parse(Buffer.concat(chunks).toString("utf8")));
      } catch {
        /* not JSON (an HTML error page...): no usage */
      }
    }
  };
  const finish = async (httpStatus: number, cancelled: boolean, errorCode: string | null) => {
    if (finished) return;
    finished = true;
    flush();
    const raw = collector.usage();
    const final = raw ? finalizeUsage(t.model, raw) : null;
    const now = t.rt.now();
    await t.rt.accounts.finish(
      t.admission,
      buildUsageRecord({
        generationId: t.generationId, keyId: t.principal.keyId, endpoint: `/native/${t.provider}`, requestedModel: t.model.id, model: t.model.id, provider: t.provider,
        attempts: [{ provider: t.provider, model: t.upstreamModel, status: httpStatus, errorCode, latencyMs: now - t.startedAt, retries: 0, startedAt: t.startedAt }],
        usage: final?.usage ?? null, costNano: final?.costNano ?? 0, ttftMs, startedAt: t.startedAt, now, status: httpStatus, errorCode, stream: sse, cancelled, user: t.user,
      }),
    );
  };

  return {
    response(code, headers) {
      status = code;
      const type = headers["content-type"];
      sse = /text\/event-stream/i.test(Array.isArray(type) ? type.join(",") : (type ?? ""));
    },
    data(chunk) {
      ttftMs ??= t.rt.now() - t.startedAt;
      if (sse) {
        const lines = (line + decoder.decode(chunk, { stream: true })).split("\n");
        line = lines.pop() ?? "";
        for (const l of lines) readLine(l);
        return;
      }
      size += chunk.length;
      if (size <= JSON_CAP) chunks.push(chunk);
    },
    end: () => finish(status, false, status >= 400 ? "upstream_error" : null),
    close: () => finish(status === 0 ? 499 : status, true, "client_closed"),
    async error(cause) {
      const error = new GatewayError({ status: 502, code: "upstream_unreachable", message: `Could not reach the upstream ${t.provider}`, cause, upstream: { kind: "connection", provider: t.provider } });
      await finish(502, false, error.code);
      return toNativeError(t.kind, error, t.requestId);
    },
  };
}
