import type Redis from 'iovalkey';
import { describe, expect, it } from 'vitest';
import { aboveKey, createHierarchy } from '../../src/patterns';
import { usePrivateValkey } from '../support/valkey';

describe('hierarchical caching', () => {
  let valkey: Redis;
  usePrivateValkey('hierarchy', (client) => (valkey = client));

  async function build() {
    const hierarchy = createHierarchy(valkey);
    for (const iata of ['ATL', 'ORD']) {
      await valkey.hset(`airport:{${iata}}`, { name: `${iata} airport` });
      await hierarchy.json(`route:{${iata}}:summary`, 600, [`airport:{${iata}}`], async () => ({ total: iata.length }));
    }
    const ranking = await hierarchy.ranking(
      'hub:routes:outbound',
      3600,
      ['route:{ATL}:summary', 'route:{ORD}:summary'],
      async () => [
        { member: 'ATL', score: 10 },
        { member: 'ORD', score: 8 },
      ],
    );
    const report = await hierarchy.json('bi:hub-routes', 7200, ['hub:routes:outbound'], async () => ['report']);
    return { hierarchy, ranking, report };
  }

  it('computes each level once, then hits', async () => {
    const { hierarchy, ranking, report } = await build();
    expect([ranking.outcome, report.outcome]).toEqual(['miss', 'miss']);
    const again = await hierarchy.ranking('hub:routes:outbound', 3600, [], async () => []);
    expect(again.outcome).toBe('hit');
    expect(again.value).toEqual(ranking.value);
    expect(await hierarchy.above('route:{ATL}:summary')).toEqual(['hub:routes:outbound']);
    expect(await valkey.ttl(aboveKey('route:{ATL}:summary'))).toBeGreaterThan(3500);
  });

  it('a change at the bottom removes every level above it, bottom up, and leaves the rest', async () => {
    const { hierarchy } = await build();
    const result = await hierarchy.invalidate('airport:{ATL}');
    expect(result.removed.map((r) => [r.key, r.depth, r.existed])).toEqual([
      ['airport:{ATL}', 0, true],
      ['route:{ATL}:summary', 1, true],
      ['hub:routes:outbound', 2, true],
      ['bi:hub-routes', 3, true],
    ]);
    expect(await valkey.exists('airport:{ATL}', 'route:{ATL}:summary', 'hub:routes:outbound', 'bi:hub-routes')).toBe(0);
    expect(await valkey.exists('airport:{ORD}', 'route:{ORD}:summary')).toBe(2);
  });

  it('invalidateAbove keeps the entry itself (a write-through just refreshed it)', async () => {
    const { hierarchy } = await build();
    const result = await hierarchy.invalidateAbove('airport:{ORD}');
    expect(result.removed.map((r) => r.key)).toEqual(['route:{ORD}:summary', 'hub:routes:outbound', 'bi:hub-routes']);
    expect(await valkey.exists('airport:{ORD}')).toBe(1);
    const rebuilt = await hierarchy.json('route:{ORD}:summary', 600, ['airport:{ORD}'], async () => ({ total: 99 }));
    expect(rebuilt).toMatchObject({ outcome: 'miss', value: { total: 99 } });
  });
});
