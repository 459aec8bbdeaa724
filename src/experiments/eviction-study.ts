// Eviction studied against theory: the same fixed-popularity requests replayed per policy and memory size on a
// private server, each run set beside the prediction for the keys that fit.

import { zipfShares } from '../measure/keys';
import { percentile } from '../measure/summary';
import type { MeasuredEviction, PredictedEviction } from '../show/eviction-charts';
import type { PrivateValkey } from '../valkey/server';
import {
  baselineMemory,
  runEvictionWorkload,
  type EvictionPolicy,
  type EvictionRun,
  type EvictionWorkload,
} from './eviction';
import { evictionTheory, predictHitRatio, theoryOfPolicy } from './eviction-theory';

const MB = 1024 * 1024;

/** One run with what it is compared with. */
export interface StudiedRun extends EvictionRun {
  /** What the run is called in tables (its policy, or a variant's name). */
  label: string;
  /** Memory for data: maxmemory minus what the empty server uses, MB. */
  roomMb: number;
  /** Keys that fit: DBSIZE at the end of the run (the cache is full by then). */
  capacity: number;
  theory: string;
  predicted: number;
  /** Measured minus predicted hit ratio, in percentage points. */
  distance: number;
}

/** A workload without policy and memory: the requests every run of a study replays. */
export type StudyWorkload = Omit<EvictionWorkload, 'policy' | 'maxmemoryBytes'> & { keys: number };

/** A run of `workload` under `policy` with `roomMb` of memory for data, compared with its prediction. */
export async function studyRun(
  server: PrivateValkey,
  workload: StudyWorkload & { policy: EvictionPolicy; roomMb: number; label?: string },
  baselineBytes?: number,
): Promise<StudiedRun> {
  const baseline = baselineBytes ?? (await baselineMemory(server));
  const run = await runEvictionWorkload(server, {
    ...workload,
    maxmemoryBytes: Math.round(baseline + workload.roomMb * MB),
  });
  const shares = zipfShares(workload.keys, workload.exponent ?? 1);
  const predicted = predictHitRatio(run.policy, shares, run.keysAtEnd);
  return {
    ...run,
    label: workload.label ?? run.policy,
    roomMb: workload.roomMb,
    capacity: run.keysAtEnd,
    theory: theoryOfPolicy(run.policy),
    predicted,
    distance: 100 * (run.hitRatio - predicted),
  };
}

/** Every policy at every memory size, and the theory lines for the chart. */
export interface EvictionStudy {
  baselineBytes: number;
  runs: StudiedRun[];
  measured: MeasuredEviction[];
  predicted: PredictedEviction[];
}

/**
 * Replays `workload` (fixed popularity: no drift) for every policy at every memory size, one run after the other on
 * `server` (flushed before each). The theory lines use, per memory size, the keys that fit in the evicting runs.
 */
export async function studyEviction(
  server: PrivateValkey,
  options: StudyWorkload & { roomsMb: readonly number[]; policies: readonly EvictionPolicy[] },
): Promise<EvictionStudy> {
  const { roomsMb, policies, ...workload } = options;
  const baselineBytes = await baselineMemory(server);
  const runs: StudiedRun[] = [];
  for (const roomMb of roomsMb) {
    for (const policy of policies) {
      runs.push(await studyRun(server, { ...workload, driftKeys: 0, policy, roomMb }, baselineBytes));
    }
  }
  const shares = zipfShares(workload.keys, workload.exponent ?? 1);
  const predicted = roomsMb.flatMap((roomMb) => {
    const fits = runs.filter((r) => r.roomMb === roomMb && r.policy !== 'noeviction').map((r) => r.capacity);
    const capacity = fits.length ? percentile(fits, 50) : 0;
    return evictionTheory(shares, capacity).map((t) => ({ ...t, roomMb }));
  });
  const measured = runs.map((r) => ({ policy: r.policy, roomMb: r.roomMb, hitRatio: r.hitRatio }));
  return { baselineBytes, runs, measured, predicted };
}

/** Studied runs as table rows: what fit, what was measured and predicted, how far apart, and what it cost. */
export function studiedRunsTable(runs: readonly StudiedRun[]): Array<Record<string, unknown>> {
  const percent = (ratio: number) => `${(100 * ratio).toFixed(1)}%`;
  return runs.map((r) => ({
    run: r.label,
    'MB for data': r.roomMb,
    'keys that fit': r.capacity,
    'hit ratio': percent(r.hitRatio),
    theory: r.theory,
    predicted: percent(r.predicted),
    'measured − predicted': `${r.distance >= 0 ? '+' : ''}${r.distance.toFixed(1)} points`,
    'first-time misses': percent(r.firstTimeMisses / r.requests),
    evicted: r.evictedKeys,
    'refused writes': r.writeErrors,
  }));
}
