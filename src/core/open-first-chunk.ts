import { GatewayError } from "../errors/gateway-error.js";

export interface OpenedStream<T> {
  first: T;
  rest: AsyncIterator<T>;
}

/**
 * Waits for a stream's first item with a time limit. An empty stream or a
 * stall before the first token is a retryable upstream failure, so the
 * caller can still fall back (LiteLLM #5512: stalls never fell back).
 */
export async function openFirstChunk<T>(iterable: AsyncIterable<T>, limitMs: number, abort: () => void, provider: string): Promise<OpenedStream<T>> {
  const rest = iterable[Symbol.asyncIterator]();
  let timer: NodeJS.Timeout | undefined;
  const next = rest.next();
  try {
    const result = limitMs > 0
      ? await Promise.race([
          next,
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => {
              abort();
              reject(new GatewayError({ status: 408, code: "upstream_timeout", message: `No first token from ${provider} within ${limitMs} ms`, isRetryable: true, upstream: { kind: "timeout", provider }, expose: true }));
            }, limitMs);
          }),
        ])
      : await next;
    if (result.done) {
      throw new GatewayError({ status: 502, code: "upstream_stream_cut", message: `The stream from ${provider} ended before its first token`, isRetryable: true, upstream: { kind: "bad_response", provider } });
    }
    return { first: result.value, rest };
  } catch (error) {
    abort();
    void next.catch(() => undefined);
    void rest.return?.()?.catch?.(() => undefined);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
