// Rich output through a kernel spec as `tslab install` writes it: tslab found on PATH, i.e. the symlink.

import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/config';

const root = projectRoot();
const bin = path.join(root, 'node_modules', '.bin');
const run = promisify(execFile);

interface Output {
  output_type: string;
  data?: Record<string, unknown>;
  text?: string | string[];
}

describe('a kernel installed with `tslab install`', () => {
  let prefix: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    prefix = mkdtempSync(path.join(tmpdir(), 'lab-tslab-install-'));
    env = {
      ...process.env,
      PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`,
      JUPYTER_PATH: path.join(prefix, 'share', 'jupyter'),
    };
    await run(path.join(bin, 'tslab'), ['install', '--python=/usr/bin/python3', `--prefix=${prefix}`], { env });
  });

  it('starts tslab from PATH, not by absolute path', () => {
    const spec = JSON.parse(
      readFileSync(path.join(prefix, 'share', 'jupyter', 'kernels', 'tslab', 'kernel.json'), 'utf8'),
    );
    expect(spec.argv[0]).toBe('tslab');
  });

  it('still shows a chart as SVG and a table as HTML', { timeout: 180_000 }, async () => {
    const fixture = path.join(root, 'test', 'fixtures', 'notebooks', 'chart.ipynb');
    await run(
      'jupyter',
      ['nbconvert', '--to', 'notebook', '--execute', fixture, '--output-dir', prefix, '--output', 'chart.ipynb'],
      { env, cwd: path.dirname(fixture) },
    );
    const executed = JSON.parse(readFileSync(path.join(prefix, 'chart.ipynb'), 'utf8'));
    const outputs: Output[] = executed.cells.flatMap((c: { outputs?: Output[] }) => c.outputs ?? []);
    const svg = outputs.find((o) => o.data?.['image/svg+xml']);
    expect(String(svg?.data?.['image/svg+xml'])).toMatch(/^<svg[\s\S]*three bars[\s\S]*<\/svg>/);
    expect(outputs.some((o) => String(o.data?.['text/html'] ?? '').includes('<table'))).toBe(true);
  });
});
