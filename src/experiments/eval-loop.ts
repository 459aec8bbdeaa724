// The guide's EVAL timing loop (Step 19): 1,000 GETs inside one script between two TIME readings, seen three ways.

import { performance } from 'node:perf_hooks';
import { percentile } from '../measure/summary';
import type { ValkeyClient } from '../valkey/client';

/** The guide's script, as printed: TIME, 1,000 GETs of `test:key:1…1000`, TIME. */
export const GUIDE_TIMING_LOOP = `local start_time = redis.call('TIME')
for i=1,1000 do
    redis.call('GET', 'test:key:' .. i)
end
local end_time = redis.call('TIME')
return {start_time, end_time}`;

/** One run of the loop, in microseconds: inside the script, by the server's accounting, and from the client. */
export interface TimingLoopRun {
  scriptMicros: number;
  serverMicros: number;
  clientMicros: number;
}

/**
 * Runs the guide's loop `runs` times on `client` (its keys must exist) and reads, for each run, the script's own
 * TIME difference, the server's `INFO commandstats` time of that EVAL, and the client's round trip.
 */
export async function timeGuideLoop(client: ValkeyClient, runs = 1): Promise<TimingLoopRun[]> {
  const evalMicros = async () =>
    Number(/cmdstat_eval:calls=\d+,usec=(\d+)/.exec(await client.info('commandstats'))?.[1] ?? 0);
  const results: TimingLoopRun[] = [];
  for (let i = 0; i < runs; i++) {
    const before = await evalMicros();
    const started = performance.now();
    const [[startS, startUs], [endS, endUs]] = (await client.eval(GUIDE_TIMING_LOOP, 0)) as [string[], string[]];
    const clientMicros = Math.round((performance.now() - started) * 1000);
    const scriptMicros = (Number(endS) - Number(startS)) * 1e6 + (Number(endUs) - Number(startUs));
    results.push({ scriptMicros, serverMicros: (await evalMicros()) - before, clientMicros });
  }
  return results;
}

/** The three views of many runs, fastest, median and slowest, in microseconds: rows for a table. */
export function summarizeTimingLoop(
  runs: readonly TimingLoopRun[],
): Array<{ measured: string; 'fastest µs': number; 'median µs': number; 'slowest µs': number }> {
  const views = [
    ['inside the script (TIME − TIME)', 'scriptMicros'],
    ['the server (INFO commandstats)', 'serverMicros'],
    ['the client (EVAL → reply)', 'clientMicros'],
  ] as const;
  return views.map(([measured, field]) => {
    const values = runs.map((r) => r[field]);
    if (values.length === 0) return { measured, 'fastest µs': 0, 'median µs': 0, 'slowest µs': 0 };
    return {
      measured,
      'fastest µs': percentile(values, 0),
      'median µs': percentile(values, 50),
      'slowest µs': percentile(values, 100),
    };
  });
}
