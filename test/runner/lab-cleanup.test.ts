import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/config';
import { isAlive } from '../../src/valkey';
import { scratchDir } from '../support/scratch';

const root = projectRoot();

describe('a headless run whose notebook fails half-way', () => {
  it('leaves no private Valkey and no worker the notebook started', async () => {
    const out = scratchDir('runs');
    const pidsFile = path.join(out, 'pids.json');
    const notebook = path.join(root, 'test', 'fixtures', 'notebooks', 'lab-left-running.ipynb');
    const code = await promisify(execFile)(
      path.join(root, 'node_modules', '.bin', 'tsx'),
      ['scripts/run-notebooks.ts', '--engines', 'mysql', '--out', out, notebook],
      { cwd: root, env: { ...process.env, LAB_FIXTURE_PIDS: pidsFile } },
    ).then(
      () => 0,
      (error: { code: number }) => error.code,
    );
    expect(code).toBe(1);
    const summary = JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8'));
    expect(summary.runs[0]).toMatchObject({ ok: false, failedCell: 2 });
    const pids = JSON.parse(readFileSync(pidsFile, 'utf8')) as { kernel: number; server: number; worker: number };
    // The kernel ended with the run, and took the server and the worker with it.
    expect([pids.kernel, pids.server, pids.worker].filter(isAlive)).toEqual([]);
  }, 240_000);
});
