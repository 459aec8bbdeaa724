// The service as its own process, on the test database and a private Valkey that the tests really kill and freeze.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLab, type Lab } from '../../src/lab';
import { isAlive } from '../../src/valkey/processes';
import { rawCommand } from '../../src/valkey/server';
import {
  metricSum,
  runLoad,
  serviceValkey,
  servicePaths,
  startService,
  type RunningService,
  type ServiceValkey,
} from '../../src/service';

let lab: Lab;
let cache: ServiceValkey;
let service: RunningService;

const get = async (path: string) => {
  const started = performance.now();
  const response = await fetch(`${service.url}${path}`);
  return {
    status: response.status,
    outcome: response.headers.get('x-cache'),
    body: (await response.json()) as any, // JSON of either route: the tests read its fields
    ms: performance.now() - started,
  };
};

beforeAll(async () => {
  lab = await openLab();
  cache = await serviceValkey(lab);
  service = await startService(lab, { valkey: cache, timeoutMs: 100, breaker: { failuresToOpen: 3, coolDownMs: 300 } });
});

afterAll(async () => {
  await lab.close();
});

describe('the service', () => {
  it('answers an airport from the database first, then from the cache, with the same row', async () => {
    const first = await get('/airports/JFK');
    const second = await get('/airports/JFK');
    expect(first).toMatchObject({ status: 200, outcome: 'miss' });
    expect(second).toMatchObject({ status: 200, outcome: 'hit' });
    expect(second.body).toEqual(first.body);
    expect(first.body.iata).toBe('JFK');
  });

  it('answers the guide’s flight search, and refuses a malformed one', async () => {
    const search = await get('/flights?from=JFK&to=LAX&date=2025-12-15');
    expect(search.status).toBe(200);
    expect(search.body.length).toBeGreaterThan(0);
    expect((await get('/flights?from=JFK')).status).toBe(400);
  });

  it('answers every request from the database while its Valkey is killed, and uses the cache again after the restart', async () => {
    await cache.kill();
    const during = [];
    for (let i = 0; i < 20; i++) during.push(await get('/airports/LAX'));
    expect(during.every((r) => r.status === 200 && r.body.iata === 'LAX')).toBe(true);
    expect(new Set(during.map((r) => r.outcome))).not.toContain('hit');
    await cache.restart();
    let outcome: string | null = null;
    for (let i = 0; i < 80 && outcome !== 'hit'; i++) {
      outcome = (await get('/airports/LAX')).outcome;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(outcome).toBe('hit');
  });

  it('waits no longer than its timeout for a frozen Valkey, and its breaker sends the rest to the database', async () => {
    await get('/airports/ORD');
    cache.freeze();
    try {
      const during = [];
      for (let i = 0; i < 30; i++) during.push(await get('/airports/ORD'));
      expect(during.every((r) => r.status === 200 && r.body.iata === 'ORD')).toBe(true);
      // 100 ms timeout: generous margin for a loaded machine, far below the client's default of 2 s.
      expect(Math.max(...during.map((r) => r.ms))).toBeLessThan(1_000);
      const waited = during.filter((r) => r.outcome === 'cache-error').length;
      expect(waited).toBeGreaterThanOrEqual(3);
      expect(during.filter((r) => r.outcome === 'breaker-open').length).toBeGreaterThan(waited);
    } finally {
      cache.thaw();
    }
  });

  it('exposes its reads, database queries and latency histogram in Prometheus text', async () => {
    const samples = await service.metrics();
    expect(metricSum(samples, 'lab_service_reads_total', { outcome: 'hit' })).toBeGreaterThan(0);
    expect(metricSum(samples, 'lab_service_reads_total', { outcome: 'breaker-open' })).toBeGreaterThan(0);
    expect(metricSum(samples, 'lab_service_db_queries_total')).toBeGreaterThan(0);
    const count = metricSum(samples, 'lab_service_request_duration_seconds_count');
    const inf = metricSum(samples, 'lab_service_request_duration_seconds_bucket', { le: '+Inf' });
    expect(inf).toBe(count);
  });

  it('logs one JSON line per cache error, naming the key, and never the password', () => {
    const errors = service.logs().filter((l) => l.event === 'cache-error');
    const errorCount = errors.length;
    expect(errorCount).toBeGreaterThan(0);
    expect(errors.every((l) => typeof l.key === 'string' && typeof l.problem === 'string')).toBe(true);
    expect(service.rawLines.some((line) => line.includes(cache.password))).toBe(false);
    expect(service.rawLines.filter((line) => !line.startsWith('{'))).toEqual([]);
  });

  it('takes load from autocannon in its own process', async () => {
    const paths = await servicePaths(lab, 10);
    const run = await runLoad(lab, service.url, { paths, connections: 2, seconds: 1 });
    expect(run.requests).toBeGreaterThan(50);
    expect(run.errors).toBe(0);
    expect(run.p99).toBeGreaterThanOrEqual(run.p50);
    expect(run.buckets.reduce((sum, b) => sum + b.requests, 0)).toBe(run.requests);
  });

  it('leaves no process behind: the service and its Valkey are really gone after close', async () => {
    const pids = [service.pid, cache.pid];
    const port = cache.port;
    await lab.close();
    expect(pids.filter(isAlive)).toEqual([]);
    expect(await rawCommand(port, 'PING', 300)).toBe('');
    lab = await openLab();
  });
});
