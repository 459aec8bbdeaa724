// Memory per key on two releases in one run: the system's valkey-server and set-up's 9.1 build, each on a private
// server, the same data on both. Without the build (outside CI) the comparison has one release and says so.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type Redis from 'iovalkey';
import { expect, it } from 'vitest';
import {
  largeHashUsage,
  memoryByRelease,
  memoryByReleaseTable,
  releasesToCompare,
} from '../../src/experiments/memory-by-release';
import { openLab } from '../../src/lab';
import { builtValkey, listLabKeys } from '../../src/valkey';
import { testConfig } from '../support/lab';
import { describeEachValkey, VALKEYS } from '../support/valkey-builds';
import { usePrivateValkey } from '../support/valkey';

const airports = [
  { name: 'Frankfurt am Main', iata: 'FRA', icao: 'EDDF', city: 'Frankfurt', country: 'Germany' },
  { name: 'München', iata: 'MUC', icao: 'EDDM', city: 'München', country: 'Germany' },
];

describeEachValkey('a large HASH measured', (release) => {
  let valkey: Redis;
  usePrivateValkey(`large-hash-${release.line}`, (client) => (valkey = client), { binary: release.server });

  it('is one field past the listpack limit, a hashtable, and gone afterwards', async () => {
    const usage = await largeHashUsage(valkey, 'mem:large');
    expect(usage.records).toBe(513);
    expect(usage.encodings).toEqual(['hashtable']);
    expect(usage.totalBytes).toBeGreaterThan(513 * 8);
    expect(await listLabKeys(valkey, 'mem:*')).toEqual([]);
  });
});

it('finds the system valkey-server and the 9.1 build as two releases, oldest first', () => {
  const releases = releasesToCompare(process.cwd());
  expect(releases.map((r) => r.version)).toEqual([...new Set(VALKEYS.map((v) => v.version))].sort());
  if (builtValkey()) expect(releases.at(-1)!.version).toBe(builtValkey()!.version);
});

it('measures the same data on each release in one run, and stops the servers it started', async () => {
  const lab = await openLab({ engine: 'mysql', config: testConfig() });
  try {
    const measured = await memoryByRelease(lab, airports, 'mem');
    expect(measured.releases.length).toBe(releasesToCompare(lab.config.root).length);
    for (const r of measured.releases) {
      expect(r.usage.map((u) => u.keys)).toEqual([2, 2, 2, 1, 1]);
      expect(r.usage.every((u) => u.totalBytes > 0)).toBe(true);
    }
    const table = memoryByReleaseTable(measured.releases);
    expect(table).toHaveLength(5);
    if (measured.releases.length > 1) {
      expect(measured.ran).toMatch(/^The same data on \*\*Valkey 8\.0\.\d+\*\* and \*\*Valkey 9\.1\.\d+\*\*/);
      // The 8.1 hash table: a large HASH costs less on the newer release.
      const [older, newer] = measured.releases;
      expect(newer!.usage[4]!.totalBytes).toBeLessThan(older!.usage[4]!.totalBytes);
    } else {
      expect(measured.ran).toMatch(/comparison between releases is skipped/);
    }
  } finally {
    await lab.close();
  }
});

it('without a 9.1 build measures the one release there is, and says the comparison is skipped', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'lab-no-build-'));
  const lab = await openLab({ engine: 'mysql', config: { ...testConfig(), root } });
  try {
    const measured = await memoryByRelease(lab, airports, 'mem');
    expect(measured.releases.map((r) => r.release.binary)).toEqual(['valkey-server']);
    expect(measured.ran).toMatch(/^Only \*\*Valkey 8\.0\.\d+\*\* is here .* comparison between releases is skipped/);
    expect(Object.keys(memoryByReleaseTable(measured.releases)[0]!)).toEqual([
      'representation',
      `${measured.releases[0]!.release.label} B per record`,
      'encoding',
    ]);
  } finally {
    await lab.close();
    rmSync(root, { recursive: true, force: true });
  }
});
