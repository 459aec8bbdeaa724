// Notebook 04's helpers: the racing writers' order, and the keys grouped by volatility class.

import type Redis from 'iovalkey';
import { describe, expect, it } from 'vitest';
import { volatilityReport } from '../../src/experiments/ttl-classes';
import { raceTwoWriters } from '../../src/experiments/write-through-race';
import { usePrivateValkey } from '../support/valkey';

describe('raceTwoWriters', () => {
  it('commits A, then runs B whole, then lets A store what it had read', async () => {
    const events: string[] = [];
    let database = 'old';
    const store: string[] = [];
    const writeThrough = async (write: () => Promise<void>, load: () => Promise<string>) => {
      await write();
      const record = await load();
      store.push(record);
      events.push(`stored ${record}`);
      return record;
    };
    const result = await raceTwoWriters(
      writeThrough,
      {
        a: async () => void ((database = 'A'), events.push('A committed')),
        b: async () => void ((database = 'B'), events.push('B committed')),
      },
      async () => database,
    );
    expect(events).toEqual(['A committed', 'B committed', 'stored B', 'stored A']);
    expect(result).toEqual({ a: 'A', b: 'B' });
  });
});

describe('volatilityReport', () => {
  let valkey: Redis;
  usePrivateValkey('volatility-report', (client) => (valkey = client));

  it('groups keys by class, and names the keys no class takes or that outlive their class', async () => {
    await valkey.set('p4:airport:{ATL}', 'x', 'EX', 3600);
    await valkey.set('p4:report', 'x', 'EX', 7200);
    await valkey.set('p4:forever', 'x');
    const report = await volatilityReport(valkey, 'p4:*', [
      { kind: 'airport', match: /:airport:\{[A-Z]+\}$/, volatility: 'static', maxTtlSeconds: 24 * 3600 },
      { kind: 'report', match: /:report$/, volatility: 'daily', maxTtlSeconds: 3600 },
    ]);
    expect(report.rows.map((r) => [r.keys, r.count, r['longest TTL (h)']])).toEqual([
      ['airport', 1, '24.00'],
      ['report', 1, '1.00'],
    ]);
    expect(report.unclassified).toEqual(['p4:forever']);
    expect(report.tooLong.sort()).toEqual(['p4:forever', 'p4:report']);
  });
});
