// Throughput of pipelined SETs on one server or a cluster: one pipeline per hash tag, all in flight at once.

import { performance } from 'node:perf_hooks';
import type Redis from 'iovalkey';
import type { Cluster } from 'iovalkey';
import { runPipelined } from '../measure/pipeline';
import { nodeAddress } from '../valkey/client';
import { nodeForKey, storedKey } from '../valkey/keys';

/** Hash tags `t0`, `t1`, … until each primary of the cluster owns one: a tag pins its keys to one primary. */
export async function tagPerPrimary(cluster: Cluster, prefix = 'bench'): Promise<string[]> {
  const wanted = cluster.nodes('master').length;
  const tags: string[] = [];
  const taken = new Set<string>();
  for (let i = 0; tags.length < wanted && i < 1000; i++) {
    const node = nodeAddress(await nodeForKey(cluster, storedKey(cluster, `${prefix}:{t${i}}:x`)));
    if (!taken.has(node)) {
      taken.add(node);
      tags.push(`t${i}`);
    }
  }
  return tags;
}

/** Commands per second of one run: one pipeline per tag, `batchSize` SETs each, for `durationMs`. */
export async function pipelinedSetThroughput(
  client: Redis | Cluster,
  tags: readonly string[],
  options: { series: string; batchSize: number; durationMs: number; prefix?: string },
): Promise<{ series: string; batchSize: number; opsPerSec: number; errors: number }> {
  const prefix = options.prefix ?? 'bench';
  const started = performance.now();
  const runs = await Promise.all(
    tags.map((tag) =>
      runPipelined(
        client,
        (pipeline, { first, size }) => {
          for (let i = 0; i < size; i++) pipeline.set(`${prefix}:{${tag}}:${(first + i) % 1000}`, 'x');
        },
        { batchSize: options.batchSize, durationMs: options.durationMs },
      ),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    series: options.series,
    batchSize: options.batchSize,
    opsPerSec: runs.reduce((n, r) => n + r.commands, 0) / seconds,
    errors: runs.reduce((n, r) => n + r.errors, 0),
  };
}
