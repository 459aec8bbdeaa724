// Hostile input through every helper that reaches SQL or builds and lists keys: refused with a clear
// error or stored harmlessly, never executed; a probe table and other people's keys survive.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type Redis from 'iovalkey';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE_KINDS } from '../../src/config';
import { connectSql, type SqlEngine } from '../../src/db';
import { assertIdentifier } from '../../src/db/engine';
import { createIndex, dropIndex, listIndexes } from '../../src/db/indexes';
import { LabError } from '../../src/errors';
import { createCacheAside } from '../../src/patterns';
import { airportByIata, airportsByCity, prepareGuideQuery, runGuideQuery } from '../../src/queries';
import { showQuery } from '../../src/show/query';
import {
  cacheKey,
  clearLabKeys,
  connectValkeyUrl,
  listLabKeys,
  startPrivateValkey,
  type PrivateValkey,
} from '../../src/valkey';
import { ensureTinyDataset } from '../support/dataset';
import { testConfig } from '../support/lab';

const PROBE = 'faults_injection_probe';
const SQL_ATTACKS = [
  `JFK'; DROP TABLE ${PROBE}; --`,
  `' OR '1'='1`,
  `" OR "1"="1`,
  `JFK\\'; DROP TABLE ${PROBE}; -- `,
  `1; DROP TABLE ${PROBE}`,
  `$1`,
  `?`,
  `JFK' UNION SELECT table_name, 1, 1, 1, 1, 1 FROM information_schema.tables --`,
];
const IDENTIFIER_ATTACKS = [
  `${PROBE}; DROP TABLE ${PROBE}`,
  `${PROBE}\`; DROP TABLE ${PROBE}; --`,
  `${PROBE}"; DROP TABLE ${PROBE}; --`,
  `idx on ${PROBE}`,
  '',
  'x'.repeat(65),
];

describe.each(ENGINE_KINDS)('SQL injection on %s', (kind) => {
  let sql: SqlEngine;

  beforeAll(async () => {
    sql = await connectSql(testConfig(), kind);
    await ensureTinyDataset(sql);
    await sql.query(`DROP TABLE IF EXISTS ${PROBE}`);
    await sql.query(`CREATE TABLE ${PROBE} (id INT PRIMARY KEY, note VARCHAR(200))`);
    await sql.query(`INSERT INTO ${PROBE} (id, note) VALUES (1, 'still here')`);
  });
  afterAll(async () => {
    await sql?.query(`DROP TABLE IF EXISTS ${PROBE}`);
    await sql?.close();
  });

  async function probeSurvives(): Promise<void> {
    const { rows } = await sql.query<{ note: string }>(`SELECT note FROM ${PROBE}`);
    expect(rows).toEqual([{ note: 'still here' }]);
  }

  it('guide query values are bound, never spliced into the text', async () => {
    for (const attack of SQL_ATTACKS) {
      const prepared = prepareGuideQuery(airportByIata, kind, { iata: attack });
      expect(prepared.sql).toBe(prepareGuideQuery(airportByIata, kind).sql); // the text never changes with a value
      expect(prepared.params).toEqual([attack]);
      expect((await runGuideQuery(sql, airportByIata, { iata: attack })).rows).toEqual([]);
      expect((await runGuideQuery(sql, airportsByCity, { cityPattern: attack })).rows).toEqual([]);
      expect((await showQuery(sql, airportByIata, { iata: attack }, { showSql: false })).rows).toEqual([]);
    }
    // The same query still answers an honest value.
    expect((await runGuideQuery(sql, airportByIata, {})).rows.length).toBeGreaterThan(0);
    await probeSurvives();
  });

  it('a hostile value stored through a bound parameter is kept as text', async () => {
    for (const [i, attack] of SQL_ATTACKS.entries()) {
      const placeholders = kind === 'mysql' ? '?, ?' : '$1, $2';
      await sql.query(`INSERT INTO ${PROBE} (id, note) VALUES (${placeholders})`, [100 + i, attack]);
    }
    const { rows } = await sql.query<{ note: string }>(`SELECT note FROM ${PROBE} WHERE id >= 100 ORDER BY id`);
    expect(rows.map((r) => r.note)).toEqual(SQL_ATTACKS);
    await sql.query(`DELETE FROM ${PROBE} WHERE id >= 100`);
    await probeSurvives();
  });

  it('index helpers refuse identifiers that are not plain names, before anything runs', async () => {
    for (const attack of IDENTIFIER_ATTACKS) {
      expect(() => assertIdentifier(attack)).toThrow(LabError);
      await expect(createIndex(sql, attack, 'faults_idx', ['id'])).rejects.toThrow(/is not a valid SQL identifier/);
      await expect(createIndex(sql, PROBE, attack, ['id'])).rejects.toThrow(/is not a valid SQL identifier/);
      await expect(createIndex(sql, PROBE, 'faults_idx', ['id', attack])).rejects.toThrow(
        /is not a valid SQL identifier/,
      );
      await expect(dropIndex(sql, attack, 'faults_idx')).rejects.toThrow(/is not a valid SQL identifier/);
      await expect(dropIndex(sql, PROBE, attack)).rejects.toThrow(/is not a valid SQL identifier/);
      await expect(listIndexes(sql, attack)).rejects.toThrow(/is not a valid SQL identifier/);
    }
    expect((await listIndexes(sql, PROBE)).map((i) => i.name)).not.toContain('faults_idx');
    await probeSurvives();
  });
});

describe('hostile key names', () => {
  let server: PrivateValkey;
  let lab: Redis;
  let other: Redis;

  beforeAll(async () => {
    server = await startPrivateValkey({ dir: mkdtempSync(path.join(tmpdir(), 'lab-faults-keys-')), removeDir: true });
    lab = await connectValkeyUrl(server.url, { keyPrefix: 'faults:' });
    other = await connectValkeyUrl(server.url); // someone else's keys, without the lab's prefix
  });
  afterAll(async () => {
    lab?.disconnect();
    other?.disconnect();
    await server?.stop();
  });

  it('cacheKey refuses spaces, line breaks, tabs and control characters, with a clear error', () => {
    for (const part of ['New York', 'line\nbreak', 'tab\there', 'nul\u0000', 'cr\r', '']) {
      expect(() => cacheKey('airport', part)).toThrow(LabError);
    }
  });

  it('cacheKey keeps quotes, glob characters and very long parts as they are (stored harmlessly)', async () => {
    const long = 'L'.repeat(100_000);
    const names = [
      cacheKey('airport', `O'Hare`),
      cacheKey('airport', '"quoted"'),
      cacheKey('glob', '*'),
      cacheKey('glob', 'a?c'),
      cacheKey('glob', '[abc'),
      cacheKey('glob', 'x\\*y'),
      cacheKey('long', long),
    ];
    expect(names[0]).toBe(`airport:O'Hare`);
    expect(names.at(-1)).toHaveLength('long:'.length + long.length);
    const cacheAside = createCacheAside(lab);
    for (const name of names) {
      expect((await cacheAside(name, 60, async () => ({ name }))).outcome).toBe('miss');
      expect((await cacheAside(name, 60, async () => ({ name: 'wrong' }))).value).toEqual({ name });
    }
    expect(await listLabKeys(lab)).toEqual([...names].sort());
    await clearLabKeys(lab);
  });

  it('listLabKeys and clearLabKeys never reach keys outside the prefix, whatever the pattern', async () => {
    const foreign = ['other:1', 'faults', 'faultsX:1', 'Faults:1', 'lab:faults:1', '*', 'x\nfaults:1'];
    for (const key of foreign) await other.set(key, 'not the lab');
    const ours = ['a b', 'line\nbreak', `quote"'`, 'star*', 'q?', 'br[ack', 'L'.repeat(10_000)];
    for (const key of ours) await lab.set(key, 'lab');

    expect(await listLabKeys(lab)).toEqual([...ours].sort());
    for (const pattern of ['*', '?*', '[a-z]*', '\\*', '*\n*', '../*', '[', 'faults:*', '**']) {
      const listed = await listLabKeys(lab, pattern);
      expect(listed.every((k) => ours.includes(k))).toBe(true);
    }
    // A glob pattern matches among the lab's keys only; a literal star needs escaping.
    expect(await clearLabKeys(lab, 'star\\*')).toBe(1);
    expect(await clearLabKeys(lab, 'br\\[*')).toBe(1);
    expect(await clearLabKeys(lab)).toBe(ours.length - 2);
    expect(await listLabKeys(lab)).toEqual([]);
    for (const key of foreign) expect(await other.get(key)).toBe('not the lab');
    expect(await other.dbsize()).toBe(foreign.length);
  });
});
