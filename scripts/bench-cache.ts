// Benchmarks a cache-aside hit against a raw GET of the same entry and against valkey-benchmark, at two value
// sizes and with two codecs (JSON, MessagePack records), and pipelined cache warming against valkey-benchmark -P 16;
// all in one run, on a private Valkey.
//
//   npm run bench:cache -- [--requests 3000] [--no-write]
//
// Prints a table and appends it, with the machine and versions, to docs/PERFORMANCE.md.

import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  connectValkeyUrl,
  createCacheAside,
  msgpackRecordsCodec,
  rowsWithColumns,
  runPipelined,
  startPrivateValkey,
  valkeyBinary,
  valkeyServerInfo,
  type Codec,
} from '../src/internal';
import { markdownTable, percentile, report, spread, timeEach } from './lib/bench-report';
import { runMain } from './lib/cli';

const GOALS = { hitVsRaw: 1.25, rawVsBenchmark: 2, warmingShare: 0.25 };

/** Flight search rows whose JSON is `bytes` long: whole rows, then a note on the last one to make up the rest. */
function valueOfSize(bytes: number): Array<Record<string, unknown>> {
  const row = (i: number) => ({ flight_id: 115 + i, flightno: 'LH400', from: 'FRA', to: 'JFK', note: '' });
  const rows = [row(0)];
  while (JSON.stringify([...rows, row(rows.length)]).length <= bytes) rows.push(row(rows.length));
  rows.at(-1)!.note = 'x'.repeat(Math.max(0, bytes - JSON.stringify(rows).length));
  return rows;
}

/** valkey-benchmark's figure for one test: `field` of the CSV row named `test`. */
function valkeyBenchmark(port: number, args: string[], test: string, field: string): number {
  const csv = execFileSync(valkeyBinary('benchmark'), ['-h', '127.0.0.1', '-p', String(port), '--csv', ...args], {
    encoding: 'utf8',
  });
  const [header, ...lines] = csv
    .trim()
    .split('\n')
    .map((l) => l.split(',').map((c) => c.replace(/"/g, '')));
  const row = lines.find((l) => l[0] === test);
  const index = header!.indexOf(field);
  if (!row || index < 0) throw new Error(`valkey-benchmark printed no ${field} for ${test}:\n${csv}`);
  return Number(row[index]);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { requests: { type: 'string', default: '3000' }, 'no-write': { type: 'boolean', default: false } },
  });
  const requests = Number(values.requests);
  const server = await startPrivateValkey({ dir: mkdtempSync(path.join(os.tmpdir(), 'lab-bench-')), removeDir: true });
  const valkey = await connectValkeyUrl(server.url, { keyPrefix: 'bench:' });
  try {
    const info = await valkeyServerInfo(valkey);
    const cacheAside = createCacheAside(valkey);
    const rows: string[][] = [];
    const misses: string[] = [];
    // JSON is the default entry; MessagePack records is the codec the lab offers for large row sets.
    const codecs: Array<{ codec?: Codec; raw: (key: string) => Promise<unknown> }> = [
      { raw: (key) => valkey.get(key) },
      { codec: msgpackRecordsCodec, raw: (key) => valkey.getBuffer(key) },
    ];
    for (const target of [100, 19_000]) {
      const value = valueOfSize(target);
      const jsonBytes = JSON.stringify(value).length;
      for (const { codec, raw } of codecs) {
        const key = `value:${target}:${codec?.name ?? 'json'}`;
        const stored = codec ? codec.encode(value) : JSON.stringify(value);
        await valkey.set(key, stored, 'EX', 3600);
        const cacheAside = createCacheAside(valkey, codec ? { codec } : {});
        const load = async () => value;
        // Hits are checked the way notebooks check query results: every row has its columns.
        const isValid = rowsWithColumns(['flight_id', 'flightno']);
        // The hit's own work on the bytes, apart from the round trip: decoding them and checking the rows.
        const decodeAndCheck = codec
          ? () => isValid(codec.decode(stored as Buffer))
          : () => isValid(JSON.parse(stored as string));
        const paths = [
          { samples: [] as number[], op: () => cacheAside(key, 3600, load, { isValid }) },
          { samples: [] as number[], op: () => raw(key) },
          { samples: [] as number[], op: async () => decodeAndCheck() },
        ];
        // Warm up every path, then one of each in turn (the order rotating), so load that comes and goes weighs on
        // all alike.
        for (const path of paths) await timeEach(500, path.op);
        for (let i = 0; i < requests; i += 1) {
          for (let j = 0; j < paths.length; j += 1) {
            const path = paths[(i + j) % paths.length]!;
            const started = performance.now();
            await path.op();
            path.samples.push(performance.now() - started);
          }
        }
        const [hit, rawGet, decoding] = paths.map((p) => p.samples) as [number[], number[], number[]];
        const benchmark = valkeyBenchmark(
          server.port,
          ['-c', '1', '-n', String(requests * 2), '-d', String(stored.length), '-t', 'set,get'],
          'GET',
          'p50_latency_ms',
        );
        const [hitP50, rawP50] = [percentile(hit, 50), percentile(rawGet, 50)];
        const name = `${jsonBytes} B as ${codec?.name ?? 'json'}`;
        rows.push([
          name,
          String(stored.length),
          spread(hit),
          spread(rawGet),
          percentile(decoding, 50).toFixed(3),
          benchmark.toFixed(3),
          `${(hitP50 / rawP50).toFixed(2)}× (≤${GOALS.hitVsRaw})`,
          `${(rawP50 / benchmark).toFixed(2)}× (≤${GOALS.rawVsBenchmark})`,
        ]);
        if (hitP50 / rawP50 > GOALS.hitVsRaw) misses.push(`hit/raw for ${name}`);
        if (rawP50 / benchmark > GOALS.rawVsBenchmark) misses.push(`raw/valkey-benchmark for ${name}`);
      }
    }
    const latency = markdownTable(
      [
        'value',
        'bytes in Valkey',
        'cache-aside hit p50 / p95 / p99 ms',
        'raw GET p50 / p95 / p99 ms',
        'decode + shape check p50 ms',
        'valkey-benchmark -c 1 GET p50 ms',
        'hit / raw (p50)',
        'raw / benchmark (p50)',
      ],
      rows,
    );

    // Warming: SET .. EX in pipelines of 16 over one connection, against valkey-benchmark -P 16 on one connection.
    // The lab's warming and the same pipelines without runPipelined's bookkeeping (which tells its overhead apart
    // from the client's) take turns over several rounds after a warm-up; each figure is the median of its rounds.
    const warmValue = JSON.stringify(valueOfSize(100));
    const batches = Math.ceil((requests * 2) / 16);
    const labWarming = async () =>
      (
        await runPipelined(
          valkey,
          (pipeline, { first, size }) => {
            for (let i = 0; i < size; i += 1) pipeline.set(`warm:${first + i}`, warmValue, 'EX', 600);
          },
          { batchSize: 16, batches, name: 'warming' },
        )
      ).opsPerSec;
    const bareWarming = async () => {
      const started = performance.now();
      for (let batch = 0; batch < batches; batch += 1) {
        const pipeline = valkey.pipeline();
        for (let i = 0; i < 16; i += 1) pipeline.set(`warm:${batch * 16 + i}`, warmValue, 'EX', 600);
        await pipeline.exec();
      }
      return (batches * 16 * 1000) / (performance.now() - started);
    };
    await labWarming();
    await bareWarming();
    const labRounds: number[] = [];
    const bareRounds: number[] = [];
    for (let round = 0; round < 5; round += 1) {
      labRounds.push(await labWarming());
      bareRounds.push(await bareWarming());
    }
    const warming = { opsPerSec: percentile(labRounds, 50) };
    const bareRps = percentile(bareRounds, 50);
    const benchmarkRps = valkeyBenchmark(
      server.port,
      ['-c', '1', '-P', '16', '-n', String(requests * 10), '-d', String(warmValue.length), '-t', 'set'],
      'SET',
      'rps',
    );
    const share = warming.opsPerSec / benchmarkRps;
    if (share < GOALS.warmingShare) misses.push('warming throughput');
    const throughput = markdownTable(
      ['pipelined SET, 16 per round trip, 1 connection', 'commands/s'],
      [
        [
          `lab warming (runPipelined, SET .. EX, ${warmValue.length} B), median of 5 rounds`,
          warming.opsPerSec.toFixed(0),
        ],
        ['bare iovalkey pipeline().exec(), same commands, median of 5 rounds', bareRps.toFixed(0)],
        [`valkey-benchmark -c 1 -P 16 -t set -d ${warmValue.length}`, benchmarkRps.toFixed(0)],
        ['lab / valkey-benchmark', `${(share * 100).toFixed(0)} % (goal ≥${GOALS.warmingShare * 100} %)`],
      ],
    );
    const verdict = misses.length === 0 ? 'Every goal met.' : `Goals missed in this run: ${misses.join(', ')}.`;
    report(
      'Cache-aside and warming against the server',
      `${info.label}, private server on loopback, ${requests} requests per path`,
      `${latency}\n\n${throughput}\n\n${verdict}`,
      !values['no-write'],
    );
  } finally {
    valkey.disconnect();
    await server.stop();
  }
}

runMain(main);
