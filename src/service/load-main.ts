// The load generator as a process of its own (autocannon inside), so the service and its load do not share one
// event loop:
//
//   node --import tsx src/service/load-main.ts --url http://127.0.0.1:N --connections N --seconds N [--bucket-ms N]
//        [--timeout-s N]
//
// The paths to request, in turn, come as a JSON array in LAB_LOAD_PATHS. It prints {"event":"started"} when the
// load begins and one {"event":"done"} line at the end: every request's latency summed up per time bucket.

import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { errorMessage } from '../errors';

interface Bucket {
  /** Start of the bucket, ms since the load began. */
  atMs: number;
  latencies: number[];
  errors: number;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.max(0, Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

function say(event: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      connections: { type: 'string', default: '1' },
      seconds: { type: 'string', default: '3' },
      'bucket-ms': { type: 'string', default: '250' },
      'timeout-s': { type: 'string', default: '10' },
    },
  });
  const paths = JSON.parse(process.env.LAB_LOAD_PATHS ?? '["/health"]') as string[];
  const bucketMs = Number(values['bucket-ms']);
  const buckets: Bucket[] = [];
  const all: number[] = [];
  let errors = 0;
  let started = 0;
  const bucketAt = (now: number) => {
    const index = Math.floor((now - started) / bucketMs);
    while (buckets.length <= index) buckets.push({ atMs: buckets.length * bucketMs, latencies: [], errors: 0 });
    return buckets[index]!;
  };

  let instance!: autocannon.Instance;
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      {
        url: values.url!,
        connections: Number(values.connections),
        duration: Number(values.seconds),
        timeout: Number(values['timeout-s']),
        requests: paths.map((path) => ({ method: 'GET' as const, path })),
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
  started = Date.now();
  say({ event: 'started', time: started });
  instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    const bucket = bucketAt(Date.now());
    if (status >= 400) {
      bucket.errors++;
      errors++;
    }
    bucket.latencies.push(ms);
    all.push(ms);
  });
  instance.on('reqError', () => {
    bucketAt(Date.now()).errors++;
    errors++;
  });
  const result = await finished;
  const seconds = (Date.now() - started) / 1000;
  all.sort((a, b) => a - b);
  say({
    event: 'done',
    connections: Number(values.connections),
    seconds,
    requests: all.length,
    errors,
    timeouts: result.timeouts,
    requestsPerSecond: all.length / seconds,
    p50: percentile(all, 50),
    p99: percentile(all, 99),
    max: all.at(-1) ?? Number.NaN,
    buckets: buckets.map((b) => {
      const sorted = b.latencies.sort((x, y) => x - y);
      return {
        atMs: b.atMs,
        requests: sorted.length,
        errors: b.errors,
        p50: percentile(sorted, 50),
        p99: percentile(sorted, 99),
        max: sorted.at(-1) ?? null,
      };
    }),
  });
}

main().catch((error: unknown) => {
  say({ event: 'failed', problem: errorMessage(error) });
  process.exit(1);
});
