// The stampede drill as a table: one row per strategy, its database calls, outcomes and latency percentiles.

import type { StampedeOutcome, StampedeRun } from '../patterns/stampede';
import { summarizeStampede } from '../patterns/stampede';
import type { TableRow } from './table';

/** One row per drill: requests, failures, database calls, the outcomes that occurred, p50 / p99 / max in ms. */
export function stampedeTable(runs: readonly StampedeRun[]): TableRow[] {
  return runs.map((run) => {
    const summary = summarizeStampede(run);
    const outcomes = Object.entries(run.outcomes).filter(([, n]) => n > 0) as Array<[StampedeOutcome, number]>;
    return {
      strategy: run.strategy,
      requests: run.requests,
      failed: run.failed,
      'DB calls': run.dbCalls,
      outcomes: outcomes.map(([outcome, n]) => `${outcome} ${n}`).join(' · '),
      'p50 ms': summary.p50,
      'p99 ms': summary.p99,
      'max ms': summary.max,
    };
  });
}
