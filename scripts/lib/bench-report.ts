// What every benchmark shares: percentiles, the machine it ran on, and appending a dated section to docs/PERFORMANCE.md.

import { appendFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { percentile } from '../../src/measure/summary';

export const ROOT = path.resolve(__dirname, '..', '..');

// Percentiles as the lab defines them everywhere.
export { percentile };

/** `p50 / p95 / p99` of `samples` in milliseconds, for one table cell. */
export function spread(samples: readonly number[]): string {
  return [50, 95, 99].map((p) => percentile(samples, p).toFixed(3)).join(' / ');
}

/** Times `op` `count` times, one after another, and returns each duration in milliseconds. */
export async function timeEach(count: number, op: (i: number) => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const started = performance.now();
    await op(i);
    samples.push(performance.now() - started);
  }
  return samples;
}

/** One line on the machine: CPU, cores, load average now (the figures mean little without it), Node. */
export function machineLine(): string {
  const load = os
    .loadavg()
    .map((n) => n.toFixed(1))
    .join(', ');
  return `${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${os.cpus().length} cores, load average ${load}; Node ${process.version}`;
}

/** A Markdown table from a header and rows. */
export function markdownTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  const rule = `| ${widths.map((w, i) => (i === 0 ? '-'.repeat(w) : `${'-'.repeat(w - 1)}:`)).join(' | ')} |`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

/** Prints a section and appends it, dated, with the machine line, to docs/PERFORMANCE.md (unless `write` is false). */
export function report(title: string, versions: string, body: string, write: boolean): void {
  const section = [
    `\n### ${title} — ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `Machine: ${machineLine()}. ${versions}.`,
    '',
    body,
    '',
  ].join('\n');
  console.log(section);
  if (write) appendFileSync(path.join(ROOT, 'docs', 'PERFORMANCE.md'), section);
}
