// The lab's small HTTP service: two of the course's reads (an airport by its code, a flight search) through a
// resilient cache-aside, a /health route that touches nothing, and /metrics in Prometheus text.

import http from 'node:http';
import { Counter, Histogram, Gauge, Registry } from 'prom-client';
import type { SqlEngine } from '../db/engine';
import { errorMessage } from '../errors';
import { airportByIata } from '../queries/part1-fundamentals';
import { flightSearch } from '../queries/part3-user-facing';
import { runGuideQuery } from '../queries';
import { cacheKey } from '../valkey/keys';
import type { CircuitBreaker } from './breaker';
import { createResilientRead, type ServiceOutcome } from './resilient-read';
import type { ValkeyClient } from '../valkey/client';

/** How long the service keeps each answer: airports hardly change, flight searches show booked seats. */
export const SERVICE_TTL_SECONDS = { airport: 3600, flights: 300 } as const;

export interface ServiceSetup {
  sql: SqlEngine;
  /** Undefined: the service runs without a cache, every read goes to the database. */
  valkey?: ValkeyClient;
  breaker?: CircuitBreaker;
  /** `host:port` of the cache, for log lines (never a URL: it could hold a password). */
  cacheWhere?: string;
  /** Where log lines go, one JSON object each (default: stdout). */
  log?: (line: string) => void;
}

/** What a service answers on its routes. The listener is node:http's. */
export interface ServiceApp {
  handler: http.RequestListener;
  registry: Registry;
}

/** The metrics the service exposes, all prefixed `lab_service_`. */
function serviceMetrics(registry: Registry) {
  return {
    reads: new Counter({
      name: 'lab_service_reads_total',
      help: 'Reads served, by route and what the cache did (hit, miss, cache-error, breaker-open, no-cache...)',
      labelNames: ['route', 'outcome'] as const,
      registers: [registry],
    }),
    dbQueries: new Counter({
      name: 'lab_service_db_queries_total',
      help: 'Queries the service sent to the database',
      registers: [registry],
    }),
    cacheErrors: new Counter({
      name: 'lab_service_cache_errors_total',
      help: 'Reads on which Valkey failed (an error or a timeout); the database answered',
      registers: [registry],
    }),
    latency: new Histogram({
      name: 'lab_service_request_duration_seconds',
      help: 'Time to answer a request, in seconds',
      labelNames: ['route'] as const,
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    breakerOpen: new Gauge({
      name: 'lab_service_breaker_open',
      help: '1 while the circuit breaker keeps requests away from Valkey, else 0',
      registers: [registry],
    }),
  };
}

/** The request handler of the service. */
export function createServiceApp(setup: ServiceSetup): ServiceApp {
  const registry = new Registry();
  const metrics = serviceMetrics(registry);
  const log = setup.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const read = createResilientRead(setup.valkey, setup.breaker);
  const query = async <R>(run: () => Promise<{ rows: R[] }>): Promise<R[]> => {
    metrics.dbQueries.inc();
    return (await run()).rows;
  };

  const answer = (res: http.ServerResponse, status: number, body: unknown, outcome?: ServiceOutcome) => {
    res.writeHead(status, { 'content-type': 'application/json', ...(outcome ? { 'x-cache': outcome } : {}) });
    res.end(JSON.stringify(body));
  };

  const serveRead = async (route: string, key: string, ttl: number, load: () => Promise<unknown[]>) => {
    const result = await read(key, ttl, load);
    metrics.reads.inc({ route, outcome: result.outcome });
    if (result.outcome === 'cache-error') {
      metrics.cacheErrors.inc();
      // One line per cache error: what, where and which key; the problem is the client's message, no URL.
      log(
        JSON.stringify({
          time: new Date().toISOString(),
          level: 'warn',
          event: 'cache-error',
          route,
          key,
          cache: setup.cacheWhere,
          problem: result.problem,
        }),
      );
    }
    metrics.breakerOpen.set(setup.breaker && setup.breaker.state !== 'closed' ? 1 : 0);
    return result;
  };

  const handler: http.RequestListener = (req, res) => {
    const url = new URL(req.url ?? '/', 'http://service');
    const stop = metrics.latency.startTimer();
    const done = (route: string) => stop({ route });
    const route = (async () => {
      const airport = /^\/airports\/([A-Za-z0-9]{3})$/.exec(url.pathname);
      if (url.pathname === '/health') {
        answer(res, 200, { ok: true });
        return 'health';
      }
      if (url.pathname === '/metrics') {
        res.writeHead(200, { 'content-type': registry.contentType });
        res.end(await registry.metrics());
        return 'metrics';
      }
      if (airport) {
        const iata = (airport[1] ?? '').toUpperCase();
        const result = await serveRead('airport', cacheKey('airport', iata), SERVICE_TTL_SECONDS.airport, () =>
          query(() => runGuideQuery(setup.sql, airportByIata, { iata })),
        );
        answer(
          res,
          result.value.length > 0 ? 200 : 404,
          result.value[0] ?? { error: 'no such airport' },
          result.outcome,
        );
        return 'airport';
      }
      if (url.pathname === '/flights') {
        const from = (url.searchParams.get('from') ?? '').toUpperCase();
        const to = (url.searchParams.get('to') ?? '').toUpperCase();
        const date = url.searchParams.get('date') ?? '';
        if (!/^[A-Z0-9]{3}$/.test(from) || !/^[A-Z0-9]{3}$/.test(to) || !/^\d{4}-\d{2}-\d{2}$/.test(date)) {
          answer(res, 400, { error: 'give from, to (IATA codes) and date (YYYY-MM-DD)' });
          return 'flights';
        }
        const result = await serveRead(
          'flights',
          cacheKey('flights', from, to, date),
          SERVICE_TTL_SECONDS.flights,
          () => query(() => runGuideQuery(setup.sql, flightSearch, { from, to, date })),
        );
        answer(res, 200, result.value, result.outcome);
        return 'flights';
      }
      answer(res, 404, { error: 'no such route' });
      return 'unknown';
    })();
    route.then(done, (error: unknown) => {
      // The database failed too: say so, and log it without the driver's connection details.
      log(
        JSON.stringify({
          time: new Date().toISOString(),
          level: 'error',
          event: 'request-failed',
          path: url.pathname,
          problem: errorMessage(error),
        }),
      );
      if (!res.headersSent) answer(res, 503, { error: 'the database did not answer' });
      done('failed');
    });
  };
  return { handler, registry };
}
