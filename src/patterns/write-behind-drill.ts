// Runs the write-behind crash drill (write-behind-drill-process.ts) as a child process and returns its figures;
// the drill, and the worker it starts, are always gone when this returns.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { projectRoot, type EngineKind } from '../config';
import { LabError } from '../errors';
import { startWorker } from '../valkey/processes';

/** One moment of the drill: a worker start, an applied write, a kill, a redelivery recognised, the end. */
export interface DrillTimelinePoint {
  /** Milliseconds since the drill started. */
  ms: number;
  kind: 'start' | 'applied' | 'kill' | 'kill-after-commit' | 'duplicate' | 'sent' | 'drained';
  /** Which worker process (1, 2, ...). */
  instance: number;
  /** Applied writes so far (for `applied`). */
  applied?: number;
}

/** What one drill did and what the database holds afterwards. */
export interface DrillSummary {
  engine: EngineKind;
  runId: string;
  writes: number;
  killEvery: number;
  /** Distinct writes in the database (counted there). */
  applied: number;
  lost: number;
  appliedTwice: number;
  /** Rows in the database for this run (equals `applied` when nothing was applied twice). */
  rows: number;
  deadLettered: number;
  kills: number;
  killsAfterCommit: number;
  workerStarts: number;
  /** Entries delivered again after a kill and recognised by their idempotency key. */
  duplicatesSkipped: number;
  recovered: number;
  claimed: number;
  elapsedMs: number;
  timeline: DrillTimelinePoint[];
  /** The drill's last line: `writes N · applied N · lost 0 · applied twice 0`. */
  line: string;
}

export interface DrillRun {
  summary: DrillSummary;
  exitCode: number;
  /** Everything the drill printed. */
  output: string;
}

/**
 * Runs `npm run write-behind -- --writes N --kill-every K --engine E` and waits for it. A drill that takes
 * longer than `timeoutMs` is stopped (it kills its worker on the way out) and reported as an error.
 */
export async function runWriteBehindDrill(options: {
  writes: number;
  killEvery: number;
  engine: EngineKind;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}): Promise<DrillRun> {
  const root = projectRoot();
  const dir = mkdtempSync(path.join(tmpdir(), 'lab-drill-'));
  const timelineFile = path.join(dir, 'drill.json');
  const args = [
    '--writes',
    String(options.writes),
    '--kill-every',
    String(options.killEvery),
    '--engine',
    options.engine,
    '--timeline',
    timelineFile,
  ];
  const drill = startWorker(path.join('src', 'patterns', 'write-behind-drill-process.ts'), args, {
    env: options.env,
    root,
  });
  const output = () => drill.lines.join('\n');
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void drill.kill('SIGTERM');
  }, options.timeoutMs ?? 120_000);
  try {
    const exitCode = (await drill.exited).code ?? 1;
    if (timedOut)
      throw new LabError({ what: 'The write-behind drill took too long and was stopped', fix: 'Try fewer writes.' });
    let summary: DrillSummary;
    try {
      summary = JSON.parse(readFileSync(timelineFile, 'utf8')) as DrillSummary;
    } catch {
      throw new LabError({
        what: `The write-behind drill ended without its figures (exit ${exitCode}): ${output().trim().split('\n').slice(-3).join(' | ')}`,
      });
    }
    return { summary, exitCode, output: output() };
  } finally {
    clearTimeout(timer);
    await drill.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}
