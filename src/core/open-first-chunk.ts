import { GatewayError } from "../errors/gateway-error.js";

export interface OpenedStream<T> {
  first: T;
  rest: AsyncIterator<T>;
}

/**
 * Opens a stream and waits for its first item, within one time limit that
 * covers both the response headers and the first token (a server that
 * answers headers at once and then stalls is caught too). An empty stream
 * or a stall before the first token is a retryable upstream failure, so the
 * caller can still fall back (LiteLLM #5512, #40404: stalls never fell back).
 */
export async function openFirstChunk<T>(opening: Promise<AsyncIterable<T>>, limitMs: number, abort: () => void, provider: string): Promise<OpenedStream<T>> {
  let rest: AsyncIterator<T> | undefined;
  const first = opening.then((iterable) => {
    rest = iterable[Symbol.asyncIterator]();
    return rest.next();
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    const result =
      limitMs > 0
        ? await Promise.race([
            first,
            new Promise<never>((_, reject) => {
              timer = setTimeout(() => {
                reject(new GatewayError({ status: 408, code: "upstream_timeout", message: `No first token from ${provider} within ${limitMs} ms`, isRetryable: true, upstream: { kind: "timeout", provider }, expose: true }));
              }, limitMs);
            }),
          ])
        : await first;
    if (result.done) {
      throw new GatewayError({ status: 502, code: "upstream_stream_cut", message: `The stream from ${provider} ended before its first token`, isRetryable: true, upstream: { kind: "bad_response", provider } });
    }
    return { first: result.value, rest: rest! };
  } catch (error) {
    // Close the upstream connection, whether it opened already or opens later.
    abort();
    void first.then(
      () => rest?.return?.(),
      () => undefined,
    ).catch(() => undefined);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
