// Notebook 08's graders, on a local cluster of 3 primaries: the shipped stub is not done, the reference solution
// passes, and plausible wrong answers fail at the right check with the right hint.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Cluster } from 'iovalkey';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gradeHashTags, gradeReadMany, type ReadMany, type SeatKeyNames } from '../../src/exercises/scaling-out';
import { connectValkeyCluster, listLabKeys, startLocalCluster, type LocalCluster } from '../../src/valkey';
import { cellFunction, referenceSolution, shippedStub } from '../support/exercises';

describe('notebook 08 graders on a local cluster', () => {
  let cluster: LocalCluster;
  let client: Cluster;
  const fromCell = <F>(source: string, name: string) => cellFunction<F>(source, name, {});

  beforeAll(async () => {
    cluster = await startLocalCluster({ dir: mkdtempSync(path.join(tmpdir(), 'lab-exercises-08-')) });
    client = await connectValkeyCluster(cluster.seeds, { keyPrefix: 'lab:' });
  }, 60_000);
  afterAll(async () => {
    client?.disconnect();
    await cluster?.stop();
    if (cluster) rmSync(cluster.dir, { recursive: true, force: true });
  });

  describe('Your turn 8.1, hash tags', () => {
    const grade = (names: SeatKeyNames) => gradeHashTags(client, names);

    it('says the shipped stub is not done', async () => {
      const result = await grade(fromCell(shippedStub('08', 'hash-tags'), 'seatKeyNames'));
      expect(result.status).toBe('not-done');
      expect(result.passed).toEqual([]);
    });

    it('passes the reference solution and leaves no key behind', async () => {
      const result = await grade(fromCell(referenceSolution('08', 'hash-tags'), 'seatKeyNames'));
      expect(result.failure).toBeUndefined();
      expect(result.passed).toHaveLength(4);
      expect(await listLabKeys(client)).toEqual([]);
    });

    it('fails keys without a shared tag: the two-key script still gets CROSSSLOT', async () => {
      const result = await grade((id) => ({ seats: `flight:${id}:seats`, seatmap: `flight:${id}:seatmap` }));
      expect(result.failure).toMatchObject({ check: "a script on both of a flight's keys runs on the cluster" });
      expect(result.failure!.seen).toMatch(/CROSSSLOT/);
      expect(result.failure!.hint).toMatch(/hash tag/);
      expect(await listLabKeys(client)).toEqual([]);
    });

    it('fails braces around each whole name: two tags, two slots', async () => {
      const result = await grade((id) => ({ seats: `{flight:${id}:seats}`, seatmap: `{flight:${id}:seatmap}` }));
      expect(result.failure!.seen).toMatch(/CROSSSLOT/);
    });

    it('fails one tag for every flight: they all land on one primary', async () => {
      const result = await grade((id) => ({
        seats: `flight:{flights}:${id}:seats`,
        seatmap: `flight:{flights}:${id}:seatmap`,
      }));
      expect(result.passed).toContain('both keys of every flight hash to one slot');
      expect(result.failure?.check).toMatch(/^the 30 flights spread over the primaries \(1 of 3\)/);
      expect(result.failure!.hint).toMatch(/flight id/);
    });
  });

  describe('Your turn 8.2, one MGET per slot', () => {
    const grade = (readMany: ReadMany) => gradeReadMany(client, readMany);

    it('says the shipped stub is not done', async () => {
      const result = await grade(fromCell(shippedStub('08', 'read-many'), 'readMany'));
      expect(result.status).toBe('not-done');
    });

    it('passes the reference solution and leaves no key behind', async () => {
      const result = await grade(fromCell(referenceSolution('08', 'read-many'), 'readMany'));
      expect(result.failure).toBeUndefined();
      expect(result.passed).toHaveLength(2);
      expect(await listLabKeys(client)).toEqual([]);
    });

    it('fails one MGET of every key: CROSSSLOT', async () => {
      const result = await grade(async (cluster, keys) => cluster.mget(...keys));
      expect(result.failure?.seen).toMatch(/CROSSSLOT/);
      expect(result.failure!.hint).toMatch(/group the keys by keySlot/);
    });

    it('fails a GET per key: right values, no MGET', async () => {
      const result = await grade(async (cluster, keys) => Promise.all(keys.map((key) => cluster.get(key))));
      expect(result.passed).toEqual(['every value comes back in the order asked, null for a missing key']);
      expect(result.failure!.seen).toMatch(/^0 MGET, 64 GET$/);
    });
  });
});
