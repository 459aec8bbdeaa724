// showQuery outside a notebook: the SQL and the rows print as text, and the result comes back to check.

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ENGINE_KINDS, type EngineKind } from '../../src/config';
import { connectSql, type SqlEngine } from '../../src/db';
import { airportByIata, airportsByCountry, sqlFor } from '../../src/queries';
import { showQuery } from '../../src/show/query';
import { ensureTinyDataset } from '../support/dataset';
import { testConfig } from '../support/lab';

describe.each(ENGINE_KINDS)('showQuery on %s', (kind: EngineKind) => {
  let engine: SqlEngine;

  beforeAll(async () => {
    engine = await connectSql(testConfig(), kind);
    await ensureTinyDataset(engine);
  });

  afterAll(async () => {
    await engine.close();
  });

  it("shows the engine's SQL, then the rows, and returns what the database answered", async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      const result = await showQuery<{ iata: string; city: string }>(engine, airportByIata, { iata: 'LAX' });
      expect(result.rows).toHaveLength(1);
      expect(result.rows[0]).toMatchObject({ iata: 'LAX', city: 'Los Angeles' });
      expect(result.elapsedMs).toBeGreaterThan(0);
      const printed = log.mock.calls.map((call) => String(call[0]));
      expect(printed[0]).toBe(`\`\`\`sql\n${sqlFor(airportByIata, kind).trim()}\n\`\`\``);
      expect(printed[1]).toContain('Los Angeles');
      expect(printed[1]).toContain('airportByIata: 1 row');
      expect(printed[1]).not.toMatch(/ ms\b/);
    } finally {
      log.mockRestore();
    }
  });

  it("uses the guide's values when none are given, and can leave the SQL out", async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      const { rows } = await showQuery(engine, airportsByCountry, {}, { showSql: false, caption: 'ten in DEU' });
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((r) => r.iso_a3 === 'DEU')).toBe(true);
      expect(log).toHaveBeenCalledOnce();
      expect(String(log.mock.calls[0]![0])).toContain('ten in DEU');
    } finally {
      log.mockRestore();
    }
  });
});
