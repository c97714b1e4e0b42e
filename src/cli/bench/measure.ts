import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';

export interface LoadResult {
  requests: number;
  /** Connection errors, timeouts and answers other than 2xx. */
  errors: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}

export interface LoadOptions {
  seconds: number;
  connections: number;
  headers?: Record<string, string>;
}

/**
 * Loads one URL with autocannon from `connections` concurrent keep-alive connections for `seconds`:
 * bounded in time, to a loopback address only. The load runs in a worker thread, so the client does
 * not queue behind the server on the same event loop (they still share the machine's cores).
 */
export async function loadTest(url: string, options: LoadOptions): Promise<LoadResult> {
  if (!/^http:\/\/127\.0\.0\.1:\d+\//.test(url)) throw new Error('load tests target 127.0.0.1 only');
  // A few requests first, so the measurement starts warm (compiled code, held sessions).
  for (let i = 0; i < 20; i++) await (await fetch(url, { headers: options.headers })).arrayBuffer();
  const result = await autocannon({
    url,
    connections: options.connections,
    duration: options.seconds,
    headers: options.headers,
    workers: 1,
    timeout: 10,
  });
  const requests = result.requests.total;
  return {
    requests,
    errors: result.errors + result.non2xx,
    seconds: result.duration,
    perSecond: requests / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
  };
}

export async function timed<T>(run: () => Promise<T> | T): Promise<{ result: T; ms: number }> {
  const t0 = performance.now();
  const result = await run();
  return { result, ms: performance.now() - t0 };
}
