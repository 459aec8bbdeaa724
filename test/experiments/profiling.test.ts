// SQL profiling on both engines: the server's own figures for the guide's country statistics and a flight search.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE_KINDS, type EngineKind } from '../../src/config';
import { connectSql, type SqlEngine } from '../../src/db';
import { profileQuery } from '../../src/experiments';
import { activeSessions, countryProfile, flightSearch, prepareGuideQuery, runGuideQuery } from '../../src/queries';
import { ensureTinyDataset } from '../support/dataset';
import { testConfig } from '../support/lab';

describe.each(ENGINE_KINDS)('profileQuery on %s', (kind: EngineKind) => {
  let engine: SqlEngine;
  let geoRows: number;
  beforeAll(async () => {
    engine = await connectSql(testConfig(), kind);
    await ensureTinyDataset(engine);
    geoRows = Number(Object.values((await engine.query('SELECT COUNT(*) AS n FROM airport_geo')).rows[0]!)[0]);
  });
  afterAll(async () => {
    await engine?.close();
  });

  it("profiles the guide's country statistics: ten rows back, every airport_geo row read, a server time", async () => {
    const { sql, params } = prepareGuideQuery(countryProfile, kind);
    const profile = await profileQuery(engine, sql, params);
    expect(profile.rowsReturned).toBe(10);
    expect(profile.rowsRead).toBeGreaterThanOrEqual(geoRows);
    expect(profile.serverMs).toBeGreaterThan(0);
    expect(profile.statement).toMatch(kind === 'postgres' ? /^EXPLAIN \(ANALYZE, BUFFERS/ : /^ANALYZE FORMAT=JSON/);
    if (kind === 'postgres') {
      expect(profile.planningMs).toBeGreaterThan(0);
      expect((profile.sharedHitBlocks ?? 0) + (profile.sharedReadBlocks ?? 0)).toBeGreaterThan(0);
    }
    const { rows } = await runGuideQuery(engine, countryProfile);
    expect(rows).toHaveLength(10);
  });

  it('profiles a flight search with bound parameters and returns as many rows as the query', async () => {
    const { sql, params } = prepareGuideQuery(flightSearch, kind);
    const profile = await profileQuery(engine, sql, params);
    const { rows } = await engine.query(sql, params);
    expect(profile.rowsReturned).toBe(rows.length);
    expect(profile.explain.analyzed).toBe(true);
  });

  it('lists the sessions on the lab database, this one among them', async () => {
    const { rows } = await runGuideQuery(engine, activeSessions);
    expect(rows.length).toBeGreaterThan(0);
    expect(Object.keys(rows[0]!)).toEqual(['id', 'user_name', 'command', 'seconds', 'state', 'query']);
  });
});
