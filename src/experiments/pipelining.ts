// Pipelining: throughput against batch size from this process, and valkey-benchmark's figures beside it.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type Redis from 'iovalkey';
import { LabError, errorMessage } from '../errors';
import { valkeyBinary } from '../valkey/binaries';
import { runPipelined, type PipelinedResult } from '../measure/pipeline';

const run = promisify(execFile);

/** One batch size's run, named for the chart: which client measured it ('node (iovalkey)'). */
export type PipelinePoint = PipelinedResult & { series: string };

/**
 * Sends `commands` GETs of `key` (which should exist) in pipelines of each batch size, one batch after
 * the other on one connection (`runPipelined`), and reports commands per second per size.
 */
export async function throughputByBatchSize(
  client: Redis,
  key: string,
  options: { batchSizes?: readonly number[]; commands?: number } = {},
): Promise<PipelinePoint[]> {
  const commands = options.commands ?? 10_000;
  const points: PipelinePoint[] = [];
  for (const batchSize of options.batchSizes ?? [1, 10, 50, 100, 500]) {
    if (!Number.isInteger(batchSize) || batchSize < 1)
      throw new LabError({ what: `Batch size ${batchSize} is not a positive whole number` });
    // A short untimed warm-up, so the first size does not pay for connection and JIT start-up.
    await client.pipeline(Array.from({ length: Math.min(batchSize, 100) }, () => ['get', key])).exec();
    const result = await runPipelined(
      client,
      (pipeline, { first, size }) => {
        for (let i = first; i < Math.min(first + size, commands); i++) pipeline.get(key);
      },
      { batchSize, batches: Math.ceil(commands / batchSize), name: `GET × ${batchSize}` },
    );
    points.push(Object.assign(result, { series: 'node (iovalkey)' }));
  }
  return points;
}

/** One line of `valkey-benchmark -q`: a test, its throughput and (newer versions) its median latency. */
export interface BenchmarkLine {
  test: string;
  requestsPerSecond: number;
  p50Ms?: number;
}

/**
 * Parses `valkey-benchmark -q` output. Progress lines are overwritten with carriage returns, so only
 * each test's final "X: N requests per second" line counts.
 */
export function parseBenchmarkOutput(output: string): BenchmarkLine[] {
  const lines: BenchmarkLine[] = [];
  for (const line of output.split(/[\r\n]+/)) {
    const match = /^\s*([A-Z][\w ()-]*?):\s+([\d.]+) requests per second(?:, p50=([\d.]+) msec)?/.exec(line);
    if (!match) continue;
    lines.push({
      test: match[1]!,
      requestsPerSecond: Number(match[2]),
      ...(match[3] !== undefined ? { p50Ms: Number(match[3]) } : {}),
    });
  }
  return lines;
}

/**
 * Runs valkey-benchmark against a server the lab started: `-q -c clients -n requests -P pipeline -t tests`.
 * It writes its own keys (`key:__rand_int__`), so never point it at a server you share.
 */
export async function runValkeyBenchmark(
  port: number,
  options: { tests?: readonly string[]; requests?: number; pipeline?: number; clients?: number } = {},
): Promise<{ args: string[]; lines: BenchmarkLine[] }> {
  const binary = valkeyBinary('benchmark');
  const args = [
    '-h',
    '127.0.0.1',
    '-p',
    String(port),
    '-q',
    '-c',
    String(options.clients ?? 1),
    '-n',
    String(options.requests ?? 10_000),
    '-P',
    String(options.pipeline ?? 1),
    '-t',
    (options.tests ?? ['get']).join(','),
  ];
  let stdout: string;
  try {
    ({ stdout } = await run(binary, args, { timeout: 60_000 }));
  } catch (error) {
    throw new LabError({
      what: `${binary} failed: ${errorMessage(error)}`,
      where: `127.0.0.1:${port}`,
      fix: 'Install valkey-tools (it ships valkey-benchmark), or set VALKEY_BENCHMARK_BIN.',
      cause: error,
    });
  }
  const lines = parseBenchmarkOutput(stdout);
  if (lines.length === 0) {
    throw new LabError({
      what: `${binary} printed no result line`,
      where: `127.0.0.1:${port}`,
      fix: `Run ${binary} ${args.join(' ')} by hand to see why.`,
    });
  }
  return { args, lines };
}
