// A run over time as the clients saw it: slices of requests, failures and waits, drawn on one time axis.

import { describe, expect, it } from 'vitest';
import type { ConcurrentResult } from '../../src/measure';
import { renderChart } from '../../src/show';
import { stallBuckets, stallChart } from '../../src/show/stall-charts';

const run = (records: ConcurrentResult['records']): ConcurrentResult =>
  ({ name: 'reads', callers: 2, cutShort: undefined, records, summary: {} }) as unknown as ConcurrentResult;

describe('stall chart', () => {
  it('slices a run by start time, counting failures and the median and slowest wait', () => {
    const buckets = stallBuckets(
      run([
        { caller: 0, startMs: 10, latencyMs: 1, ok: true, outcome: 'hit' },
        { caller: 1, startMs: 20, latencyMs: 3, ok: true, outcome: 'hit' },
        { caller: 0, startMs: 1200, latencyMs: 1500, ok: true, outcome: 'cache-error' },
      ]),
      { bucketMs: 500 },
    );
    expect(buckets).toEqual([
      { atMs: 0, requests: 2, failed: 0, p50Ms: 1, maxMs: 3 },
      { atMs: 500, requests: 0, failed: 0, p50Ms: 0, maxMs: 0 },
      { atMs: 1000, requests: 1, failed: 1, p50Ms: 1500, maxMs: 1500 },
    ]);
  });

  it('renders three panels with the events on them', async () => {
    const buckets = stallBuckets(run([{ caller: 0, startMs: 10, latencyMs: 2, ok: true, outcome: 'hit' }]));
    const svg = await renderChart(stallChart(buckets, { events: [{ atMs: 5, label: 'primary killed' }] }));
    expect(svg).toContain('primary killed');
    expect(svg).toContain('wait (ms, log)');
  });
});
