// Pipelining: throughput per batch size from this client, and valkey-benchmark run and parsed.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBenchmarkOutput, runValkeyBenchmark, throughputByBatchSize } from '../../src/experiments';
import { connectValkeyUrl, startPrivateValkey } from '../../src/valkey';

describe('parseBenchmarkOutput', () => {
  it('keeps only the final line of each test, with its p50 when printed', () => {
    const output =
      'GET: rps=0.0 (overall: -nan) avg_msec=-nan (overall: -nan)\r' +
      'GET: 14925.37 requests per second, p50=1.263 msec\n' +
      'SET: rps=59984.1 (overall: 59746.0) avg_msec=12.813 (overall: 12.813)\r' +
      'SET: 56497.18 requests per second\n';
    expect(parseBenchmarkOutput(output)).toEqual([
      { test: 'GET', requestsPerSecond: 14925.37, p50Ms: 1.263 },
      { test: 'SET', requestsPerSecond: 56497.18 },
    ]);
  });
});

describe('on a private server', () => {
  it('sends every command at each batch size, and valkey-benchmark reports GET and SET', async () => {
    const server = await startPrivateValkey({
      dir: mkdtempSync(path.join(tmpdir(), 'lab-pipeline-')),
      removeDir: true,
    });
    const valkey = await connectValkeyUrl(server.url);
    try {
      await valkey.set('k', 'v');
      await valkey.config('RESETSTAT');
      const points = await throughputByBatchSize(valkey, 'k', { batchSizes: [1, 10, 100], commands: 1_000 });
      expect(points.map((p) => p.batchSize)).toEqual([1, 10, 100]);
      expect(points.every((p) => p.opsPerSec > 0)).toBe(true);
      const stats = await valkey.info('commandstats');
      // 3 × 1,000 timed GETs plus the untimed warm-up batches (1 + 10 + 100).
      expect(stats).toMatch(/cmdstat_get:calls=3111,/);
      const { lines } = await runValkeyBenchmark(server.port, { tests: ['get', 'set'], requests: 2_000, pipeline: 10 });
      expect(lines.map((l) => l.test)).toEqual(['SET', 'GET']);
      expect(lines.every((l) => l.requestsPerSecond > 0)).toBe(true);
    } finally {
      valkey.disconnect();
      await server.stop();
    }
  });
});
