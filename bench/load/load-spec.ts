/** What a load run sends and what it reports, whichever generator runs it. */

export interface LoadRequest {
  body: string;
  headers: Record<string, string>;
}

export interface LoadSpec {
  /** Full URL of the endpoint, e.g. http://127.0.0.1:1234/v1/chat/completions */
  url: string;
  connections: number;
  durationSec: number;
  /** Sent in turn, round-robin; one entry for a uniform load. */
  requests: LoadRequest[];
}

export interface LoadResult {
  tool: "wrk" | "autocannon";
  /** Completed responses (any status). */
  requests: number;
  durationSec: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Responses with a status >= 400 (expected only in the soak's error share). */
  non2xx: number;
  /** Connect/read/write errors and timeouts. */
  errors: number;
}
