// Resharding both ways under load, on every release under test: a cluster of 9.1 runs MIGRATE key by key and
// CLUSTER MIGRATESLOTS on itself; a cluster of 8.0 runs the older way and the atomic one on a second cluster of
// set-up's 9.1 build. No read fails either way, and every moved key is on the target afterwards.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { reshardSides, reshardUnderLoad } from '../../src/experiments/reshard-ways';
import { openLab, type Lab, type LabCluster } from '../../src/lab';
import { builtValkey, clusterSlotRanges } from '../../src/valkey';
import { testConfig } from '../support/lab';
import { describeEachValkey } from '../support/valkey-builds';

describeEachValkey('resharding two ways under load', (release) => {
  let lab: Lab;
  let cluster: LabCluster;
  beforeAll(async () => {
    lab = await openLab({ engine: 'mysql', config: testConfig() });
    cluster = await lab.localCluster({ binaries: { server: release.server, cli: release.cli } });
  }, 120_000);
  afterAll(async () => lab?.close(), 60_000);
  const newer = release.line !== '8.0';

  it('moves a share of the slots each way with no failed read', async () => {
    const sides = await reshardSides(lab, cluster);
    if (newer) expect(sides.ran).toMatch(/both ways ran on it/);
    else if (builtValkey()) expect(sides.ran).toMatch(/on a second local cluster of Valkey 9\.1/);
    expect(sides.all.map((s) => s.way)).toEqual(newer || builtValkey() ? ['fallback', 'command'] : ['fallback']);
    const keys = Array.from({ length: 600 }, (_, i) => `reshard:key:${i}`);
    for (const side of sides.all) {
      const result = await reshardUnderLoad(side, { keys, load: async (key) => ({ key }), fraction: 24 });
      expect(result.move.command).toBe(side.way === 'command' ? 'CLUSTER MIGRATESLOTS' : 'SETSLOT + MIGRATE');
      expect(result.failed).toBe(0);
      expect(result.readsDuringMove).toBeGreaterThan(0);
      expect(result.movingKeys).toBeGreaterThan(0);
      const owner = (await clusterSlotRanges(side.client)).find(
        (r) => r.start <= result.move.start && r.end >= result.move.end,
      );
      expect(owner?.node).toBe(result.move.to);
    }
  }, 240_000);
});
