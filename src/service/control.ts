// Starting and driving the service from a notebook: its cache (a private Valkey that can be killed, frozen and
// restarted on the same port), the service process, the load generator process, and scrapes of /metrics.

import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Lab } from '../lab';
import { LabError } from '../errors';
import { freePort, rawCommand, startPrivateValkey, type PrivateValkey } from '../valkey/server';
import type { Worker } from '../valkey/processes';
import type { BreakerSettings } from './breaker';
import { parsePrometheusText, type MetricSample } from './metrics-text';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A private Valkey for the service, with a password, that a drill may kill, freeze and bring back on its port. */
export interface ServiceValkey {
  port: number;
  /** Where the service connects, password included: pass it on, never print it. */
  readonly secretUrl: string;
  /** The password, only so a test can prove that no log line holds it. */
  readonly password: string;
  /** The running server's process id. */
  readonly pid: number;
  /** SIGKILL: the server is gone at once, and its connections with it. */
  kill(): Promise<void>;
  /** Starts it again on the same port (empty: a cache needs no persistence). */
  restart(): Promise<void>;
  /** SIGSTOP: the server keeps its connections but answers nothing, the case only a timeout catches. */
  freeze(): void;
  /** SIGCONT: it answers again. */
  thaw(): void;
  stop(): Promise<void>;
}

/** Starts the service's cache: a private Valkey asking for a random password, stopped by `lab.close()`. */
export async function serviceValkey(lab: Lab): Promise<ServiceValkey> {
  const scratch = path.join(lab.config.root, '.lab', 'private');
  mkdirSync(scratch, { recursive: true });
  const dir = mkdtempSync(path.join(scratch, 'service-valkey-'));
  const password = randomBytes(16).toString('hex');
  let server: PrivateValkey | undefined;
  let frozen = false;
  // In a file only its owner may read, so the password is never on valkey-server's command line, and a restarted
  // server asks for it from its first moment (a client reconnecting earlier would be told no password is needed).
  const configFile = path.join(dir, 'auth.conf');
  writeFileSync(configFile, `requirepass "${password}"\n`, { mode: 0o600 });
  const start = async (port?: number) => {
    server = await startPrivateValkey({ dir, port, configFile });
  };
  await start();
  const port = server!.port;
  const signal = (name: NodeJS.Signals) => {
    if (server) process.kill(server.pid, name);
  };
  const handle: ServiceValkey = {
    port,
    secretUrl: `redis://:${password}@127.0.0.1:${port}`,
    password,
    get pid() {
      return server?.pid ?? -1;
    },
    async kill() {
      if (frozen) handle.thaw();
      signal('SIGKILL');
      while ((await rawCommand(port, 'PING', 200)) !== '') await sleep(20);
      server = undefined;
    },
    async restart() {
      if (server)
        throw new LabError({
          what: 'The service Valkey still runs',
          where: `127.0.0.1:${port}`,
          fix: 'kill() it first.',
        });
      await start(port);
    },
    freeze() {
      signal('SIGSTOP');
      frozen = true;
    },
    thaw() {
      signal('SIGCONT');
      frozen = false;
    },
    async stop() {
      if (frozen) handle.thaw();
      await server?.stop();
      server = undefined;
      rmSync(dir, { recursive: true, force: true });
    },
  };
  lab.onClose(() => handle.stop());
  return handle;
}

export interface ServiceOptions {
  /** The service's cache; leave out for a service without cache (every read from the database). */
  valkey?: ServiceValkey;
  /** The timeout on every Valkey call, ms. Default 2000 (the lab client's). */
  timeoutMs?: number;
  /** The circuit breaker; none when left out. */
  breaker?: BreakerSettings;
}

/** One JSON line the service printed (a start line, a cache error...). */
export type ServiceLogLine = Record<string, unknown> & { event?: string };

export interface RunningService {
  url: string;
  port: number;
  pid: number;
  /** Lines the process printed, as they came. */
  readonly rawLines: readonly string[];
  /** Its JSON lines, parsed. */
  logs(): ServiceLogLine[];
  /** Scrapes /metrics once. */
  metrics(): Promise<MetricSample[]>;
  stop(): Promise<void>;
}

async function waitForLine(worker: Worker, event: string, what: string, timeoutMs = 30_000): Promise<ServiceLogLine> {
  let ended = false;
  void worker.exited.then(() => (ended = true));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const line of worker.lines) {
      if (!line.startsWith('{')) continue;
      const parsed = JSON.parse(line) as ServiceLogLine;
      if (parsed.event === event) return parsed;
      if (parsed.event === 'failed') throw new LabError({ what: `${what} failed: ${String(parsed.problem)}` });
    }
    if (ended || Date.now() > deadline)
      throw new LabError({
        what: `${what} did not ${ended ? 'start' : `say "${event}" within ${timeoutMs / 1000} s`}`,
        fix: worker.lines.slice(-3).join(' · '),
      });
    await sleep(25);
  }
}

/** Starts the service as its own process on a free port (ended by `lab.close()`); resolves once it listens. */
export async function startService(lab: Lab, options: ServiceOptions = {}): Promise<RunningService> {
  const port = await freePort();
  const args = ['--port', String(port), '--engine', lab.sql.kind, '--cache', options.valkey ? 'on' : 'off'];
  args.push('--timeout-ms', String(options.timeoutMs ?? 2_000));
  if (options.breaker)
    args.push(
      '--failures-to-open',
      String(options.breaker.failuresToOpen),
      '--cool-down-ms',
      String(options.breaker.coolDownMs),
    );
  const env: Record<string, string> = options.valkey ? { LAB_SERVICE_VALKEY_URL: options.valkey.secretUrl } : {};
  const worker = lab.startWorker('src/service/main.ts', args, { env });
  await waitForLine(worker, 'listening', 'The service');
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    port,
    pid: worker.pid,
    rawLines: worker.lines,
    logs: () => worker.lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as ServiceLogLine),
    async metrics() {
      const response = await fetch(`${url}/metrics`);
      return parsePrometheusText(await response.text());
    },
    async stop() {
      await worker.kill('SIGTERM');
    },
  };
}

/** One time bucket of a load run. */
export interface LoadBucket {
  /** ms since the load began. */
  atMs: number;
  requests: number;
  /** Requests that failed or timed out, or answered 4xx/5xx. */
  errors: number;
  p50: number;
  p99: number;
  max: number | null;
}

/** What a load run measured (latencies in ms, as the load generator saw them). */
export interface LoadRun {
  name: string;
  connections: number;
  seconds: number;
  requests: number;
  errors: number;
  timeouts: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  max: number;
  buckets: LoadBucket[];
  /** Wall-clock time (ms since the epoch) the load began, to line it up with what happened meanwhile. */
  startedAt: number;
}

export interface LoadOptions {
  /** Shown in charts and tables, e.g. `cache, 4 connections`. */
  name?: string;
  /** Paths requested in turn (see servicePaths). Default `/health`. */
  paths?: readonly string[];
  connections: number;
  seconds: number;
  /** Width of the time buckets, ms. Default 250. */
  bucketMs?: number;
  /** A request unanswered after this long counts as an error. Default 10 s. */
  timeoutSeconds?: number;
}

/** A load that runs in its own process: `started` resolves when requests begin, `done` with what it measured. */
export interface RunningLoad {
  started: Promise<number>;
  done: Promise<LoadRun>;
}

/** Starts autocannon in its own process against `url` (ended by `lab.close()` if still running). */
export function startLoad(lab: Lab, url: string, options: LoadOptions): RunningLoad {
  const worker = lab.startWorker(
    'src/service/load-main.ts',
    [
      '--url',
      url,
      '--connections',
      String(options.connections),
      '--seconds',
      String(options.seconds),
      '--bucket-ms',
      String(options.bucketMs ?? 250),
      '--timeout-s',
      String(options.timeoutSeconds ?? 10),
    ],
    { env: { LAB_LOAD_PATHS: JSON.stringify(options.paths ?? ['/health']) } },
  );
  const started = waitForLine(worker, 'started', 'The load generator').then((line) => Number(line.time));
  const done = (async () => {
    const startedAt = await started;
    const line = await waitForLine(worker, 'done', 'The load generator', (options.seconds + 60) * 1000);
    await worker.wait();
    return {
      name: options.name ?? `${options.connections} connections`,
      startedAt,
      ...(line as unknown as Omit<LoadRun, 'name' | 'startedAt'>),
    };
  })();
  return { started, done };
}

/** Runs one load to its end. */
export async function runLoad(lab: Lab, url: string, options: LoadOptions): Promise<LoadRun> {
  return startLoad(lab, url, options).done;
}

/**
 * The paths a load requests in turn: `airports` airports by code (the first ones with an IATA code) and the
 * guide's flight searches (JFK→LAX on 2025-12-15 and back on the 22nd, and a few more of the story's hubs).
 */
export async function servicePaths(lab: Lab, airports = 40): Promise<string[]> {
  const { rows } = await lab.sql.query<{ iata: string }>(
    `SELECT iata FROM airport WHERE iata IS NOT NULL AND iata <> '' ORDER BY airport_id LIMIT ${Math.floor(airports)}`,
  );
  const searches = [
    ['JFK', 'LAX', '2025-12-15'],
    ['LAX', 'JFK', '2025-12-22'],
    ['ATL', 'ORD', '2025-12-15'],
    ['ORD', 'DFW', '2025-12-15'],
  ].map(([from, to, date]) => `/flights?from=${from}&to=${to}&date=${date}`);
  const paths: string[] = [];
  rows.forEach((row, i) => {
    paths.push(`/airports/${row.iata}`);
    if (i % 10 === 9) paths.push(searches[Math.floor(i / 10) % searches.length]!);
  });
  return paths;
}

/** One scrape of /metrics while something ran: when (ms since `since`) and what it said. */
export interface MetricsScrape {
  atMs: number;
  samples: MetricSample[];
}

/** Scrapes `service`'s /metrics every `intervalMs` until `stop()`, which returns the scrapes. */
export function watchMetrics(
  service: RunningService,
  intervalMs = 250,
  since = Date.now(),
): { stop(): Promise<MetricsScrape[]> } {
  const scrapes: MetricsScrape[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const atMs = Date.now() - since;
      try {
        scrapes.push({ atMs, samples: await service.metrics() });
      } catch {
        // a scrape the busy service did not answer is simply missing
      }
      await sleep(intervalMs);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return scrapes;
    },
  };
}
