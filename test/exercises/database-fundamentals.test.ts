// Notebook 01's graders, on both engines: the shipped stub is not done, the reference solution passes, and
// plausible wrong answers fail at the right check with the right hint.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSql, type SqlEngine } from '../../src/db';
import { listIndexes } from '../../src/db/indexes';
import { ENGINE_KINDS } from '../../src/config';
import {
  EXERCISE_INDEX,
  gradeCityQuery,
  gradeCountryIndex,
  type AirportsInCity,
  type IndexChoice,
} from '../../src/exercises/database-fundamentals';
import { ensureTinyDataset } from '../support/dataset';
import { cellFunction, referenceSolution, shippedStub } from '../support/exercises';
import { testConfig } from '../support/lab';

describe.each(ENGINE_KINDS)('notebook 01 graders on %s', (kind) => {
  let sql: SqlEngine;
  const lab = () => ({ sql });
  const cityQuery = (source: string) => cellFunction<AirportsInCity>(source, 'airportsInCity', lab());
  const indexChoice = (choice: IndexChoice) => () => choice;

  beforeAll(async () => {
    sql = await connectSql(testConfig(), kind);
    await ensureTinyDataset(sql);
  });
  afterAll(async () => {
    await sql?.close();
  });

  describe('Your turn 1.1, the city query', () => {
    it('says the shipped stub is not done, with no check passed', async () => {
      const grade = await gradeCityQuery(lab(), cityQuery(shippedStub('01', 'city-query')));
      expect(grade.status).toBe('not-done');
      expect(grade.passed).toEqual([]);
      expect(grade.lines.at(-1)).toMatch(/^○ Your turn 1\.1 is not done yet/);
    });

    it('passes the reference solution on every city', async () => {
      const grade = await gradeCityQuery(lab(), cityQuery(referenceSolution('01', 'city-query')));
      expect(grade.failure).toBeUndefined();
      expect(grade.status).toBe('passed');
      expect(grade.passed.filter((c) => c.includes('the same'))).toHaveLength(3);
    });

    it('fails a query with the values pasted into the text, pointing at placeholders', async () => {
      const pasted: AirportsInCity = (isoA3, city) => ({
        sql: `SELECT a.name, a.iata, a.icao, ag.city, ag.country, ag.iso_a3 FROM airport a
              JOIN airport_geo ag ON a.airport_id = ag.airport_id
              WHERE a.iata IS NOT NULL AND ag.iso_a3 = '${isoA3}' AND ag.city LIKE '${city}' ORDER BY a.name LIMIT 10`,
        params: [],
      });
      const grade = await gradeCityQuery(lab(), pasted);
      expect(grade.status).toBe('failed');
      expect(grade.failure).toMatchObject({
        check: expect.stringContaining('bound parameters'),
        seen: expect.stringContaining('"USA"'),
      });
      expect(grade.failure!.hint).toContain(sql.dialect.param(1));
    });

    it('fails a query that forgets the order, naming the airports it returned', async () => {
      const p = sql.dialect.param;
      const unordered: AirportsInCity = (isoA3, city) => ({
        sql: `SELECT a.name, a.iata, a.icao, ag.city, ag.country, ag.iso_a3 FROM airport a
              JOIN airport_geo ag ON a.airport_id = ag.airport_id
              WHERE a.iata IS NOT NULL AND ag.iso_a3 = ${p(1)} AND ag.city LIKE ${p(2)} ORDER BY a.iata DESC LIMIT 10`,
        params: [isoA3, city],
      });
      const grade = await gradeCityQuery(lab(), unordered);
      expect(grade.failure?.check).toMatch(/the same \d+ airports as the guide's query, in name order/);
      expect(grade.failure?.hint).toMatch(/sort by a\.name/);
    });

    it("fails a query the engine rejects, with the engine's own message", async () => {
      const doubleQuoted: AirportsInCity = () => ({
        sql: `SELECT a.name FROM airport a WHERE a.iata = "JFK"`,
        params: [],
      });
      const grade = await gradeCityQuery(lab(), doubleQuoted);
      expect(grade.status).toBe('failed');
      // MariaDB reads "JFK" as a string and runs it (then the columns are wrong); PostgreSQL refuses the column.
      expect(grade.failure!.check).toMatch(kind === 'postgres' ? /the query runs/ : /the guide's columns/);
    });
  });

  describe('Your turn 1.2, the index', () => {
    it('says the shipped stub is not done, and leaves no index behind', async () => {
      const stub = cellFunction<() => IndexChoice>(shippedStub('01', 'choose-index'), 'countryIndex', lab());
      const grade = await gradeCountryIndex(lab(), stub);
      expect(grade.status).toBe('not-done');
      expect(grade.passed).toEqual([]);
      expect((await listIndexes(sql, 'airport_geo')).map((i) => i.name)).not.toContain(EXERCISE_INDEX);
    });

    it('passes the reference solution, and drops the index it made', async () => {
      const solution = cellFunction<() => IndexChoice>(referenceSolution('01', 'choose-index'), 'countryIndex', lab());
      const grade = await gradeCountryIndex(lab(), solution);
      expect(grade.failure).toBeUndefined();
      expect(grade.status).toBe('passed');
      expect((await listIndexes(sql, 'airport_geo')).map((i) => i.name)).not.toContain(EXERCISE_INDEX);
    });

    it('fails an index on a column the query does not filter on: the full scan stays', async () => {
      const grade = await gradeCountryIndex(lab(), indexChoice({ table: 'airport_geo', columns: ['iso_a3'] }));
      expect(grade.failure).toMatchObject({
        check: 'the plan no longer reads all of airport_geo',
        seen: expect.stringContaining('full-scan'),
      });
      expect(grade.failure!.hint).toMatch(/index the column that WHERE filters/);
    });

    it('fails an index whose first column is not the filtered one', async () => {
      const grade = await gradeCountryIndex(lab(), indexChoice({ table: 'airport_geo', columns: ['city', 'country'] }));
      expect(grade.status).toBe('failed');
      expect(grade.failure!.hint).toMatch(/first column/);
    });

    it('fails a column that does not exist, before creating anything', async () => {
      const grade = await gradeCountryIndex(lab(), indexChoice({ table: 'airport_geo', columns: ['nation'] }));
      expect(grade.failure).toMatchObject({
        check: 'the table and columns exist',
        seen: 'airport_geo has no column nation',
      });
    });
  });
});
