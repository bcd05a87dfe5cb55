// The slice of autocannon's API the fallback load generator uses (no @types/autocannon in the repo).
declare module "autocannon" {
  interface Options {
    url: string;
    connections?: number;
    duration?: number;
    timeout?: number;
    requests?: Array<{ method?: string; headers?: Record<string, string>; body?: string }>;
  }
  interface Result {
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    requests: { total: number };
    latency: { p50: number; p99: number };
  }
  export default function autocannon(opts: Options): Promise<Result>;
}
