import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE_KINDS, type EngineKind } from '../../src/config';
import {
  connectSql,
  createIndex,
  dropIndex,
  listIndexes,
  planNodes,
  scansFullTable,
  tableAccesses,
  usesIndex,
  type SqlEngine,
} from '../../src/db';
import { airportByIata, airportsInCountry, prepareGuideQuery } from '../../src/queries';
import { ensureTinyDataset } from '../support/dataset';
import { testConfig } from '../support/lab';

const COUNTRY_INDEX = 'airport_geo_country_idx';

describe.each(ENGINE_KINDS)('EXPLAIN on %s, normalized', (kind: EngineKind) => {
  let engine: SqlEngine;
  let airports: number;
  let german: number;
  const allGerman = prepareGuideQuery(airportsInCountry, kind, { country: 'Germany' });

  beforeAll(async () => {
    engine = await connectSql(testConfig(), kind);
    await ensureTinyDataset(engine);
    await dropIndex(engine, 'airport_geo', COUNTRY_INDEX);
    airports = Number(Object.values((await engine.query('SELECT COUNT(*) AS n FROM airport_geo')).rows[0]!)[0]);
    german = (await engine.query(allGerman.sql, allGerman.params)).rows.length;
  });
  afterAll(async () => {
    await dropIndex(engine, 'airport_geo', COUNTRY_INDEX);
    await engine?.close();
  });

  it('shows the unindexed country filter as a full scan of airport_geo, every row read', async () => {
    const result = await engine.explain(allGerman.sql, allGerman.params, { analyze: true });
    expect(result.analyzed).toBe(kind === 'postgres' || (await engine.serverInfo()).flavor === 'mariadb');
    expect(scansFullTable(result.plan, 'airport_geo')).toBe(true);
    const [geo] = tableAccesses(result.plan, 'airport_geo');
    expect(geo).toMatchObject({ table: 'airport_geo', alias: 'ag', access: 'full-scan' });
    expect(geo!.index).toBeUndefined();
    if (result.analyzed) {
      expect(geo!.rowsRead).toBe(airports);
      expect(geo!.actualRows).toBe(german);
    }
  });

  it('shows the IATA lookup going through airport_iata_idx and airport_geo read by its key', async () => {
    const jfk = prepareGuideQuery(airportByIata, kind, { iata: 'JFK' });
    const { plan, raw, sql } = await engine.explain(jfk.sql, jfk.params);
    expect(usesIndex(plan, 'airport', 'airport_iata_idx')).toBe(true);
    expect(scansFullTable(plan, 'airport_geo')).toBe(false);
    expect(tableAccesses(plan, 'airport_geo')[0]!.access).toMatch(/lookup/);
    expect(sql).toMatch(kind === 'mysql' ? /^EXPLAIN FORMAT=JSON SELECT/ : /^EXPLAIN \(FORMAT JSON\) SELECT/);
    expect(JSON.stringify(raw)).toContain('airport_iata_idx');
    expect(planNodes(plan).length).toBeGreaterThanOrEqual(2);
  });

  it('uses a new index on country once it exists; creating and dropping it again changes nothing', async () => {
    const created = await createIndex(engine, 'airport_geo', COUNTRY_INDEX, ['country']);
    expect(created.changed).toBe(true);
    expect(created.sql).toMatch(/^CREATE INDEX .airport_geo_country_idx. ON .airport_geo. \(.country.\)$/);
    expect(await createIndex(engine, 'airport_geo', COUNTRY_INDEX, ['country'])).toEqual({ changed: false, sql: null });
    expect(await listIndexes(engine, 'airport_geo')).toContainEqual({
      name: COUNTRY_INDEX,
      columns: ['country'],
      unique: false,
    });

    const { plan, analyzed } = await engine.explain(allGerman.sql, allGerman.params, { analyze: true });
    expect(usesIndex(plan, 'airport_geo', COUNTRY_INDEX)).toBe(true);
    expect(scansFullTable(plan, 'airport_geo')).toBe(false);
    if (analyzed) expect(tableAccesses(plan, 'airport_geo')[0]!.rowsRead).toBe(german);

    expect((await dropIndex(engine, 'airport_geo', COUNTRY_INDEX)).changed).toBe(true);
    expect((await dropIndex(engine, 'airport_geo', COUNTRY_INDEX)).changed).toBe(false);
    expect((await listIndexes(engine, 'airport_geo')).map((i) => i.name)).not.toContain(COUNTRY_INDEX);
  });

  it('describes the airport table the way DESCRIBE does', async () => {
    const columns = await engine.describeTable('airport');
    expect(columns.map((c) => [c.name, c.key])).toEqual([
      ['airport_id', 'PRI'],
      ['iata', 'MUL'],
      ['icao', 'UNI'],
      ['name', 'MUL'],
      ['openflights_id', 'UNI'],
    ]);
    expect(columns.find((c) => c.name === 'iata')!.nullable).toBe(true);
  });

  it('refuses an identifier that is not a plain name instead of splicing it into SQL', async () => {
    await expect(engine.describeTable('airport; DROP TABLE airport')).rejects.toThrow(/not a valid SQL identifier/);
    await expect(listIndexes(engine, 'airport_geo`')).rejects.toThrow(/not a valid SQL identifier/);
  });
});
