// Notebook 01's exercises: write the guide's city query with bound parameters; choose the index that turns the
// country filter's full scan into a lookup.

import { assertIdentifier, type Row, type SqlEngine } from '../db/engine';
import { scansFullTable, tableAccesses, type PlanNode } from '../db/explain';
import { dropIndex } from '../db/indexes';
import { engineLabel } from '../config';
import { airportsByCity, airportsInCountry, prepareGuideQuery, runGuideQuery } from '../queries';
import { formatNumber } from '../show/format';
import { grade, sameAsJson, shown, type Grade, type Grading } from './grade';

/** What the learner's query function returns: the SQL text with placeholders, and the values they bind. */
export interface BoundQuery {
  sql: string;
  params: unknown[];
}

/** The learner's answer to "airports of a city": the query for one country (ISO code) and city pattern. */
export type AirportsInCity = (isoA3: string, cityPattern: string) => BoundQuery | Promise<BoundQuery>;

/** Cities the grader asks for: the guide's New York, then two the learner's query has never been tried on. */
const CITY_CASES = [
  { isoA3: 'USA', cityPattern: '%New York%' },
  { isoA3: 'DEU', cityPattern: '%Berlin%' },
  { isoA3: 'GBR', cityPattern: '%London%' },
] as const;

const CITY_COLUMNS = ['name', 'iata', 'icao', 'city', 'country', 'iso_a3'];

/**
 * Grades "Your turn 1.1": the learner's query must return, for every city asked, the same rows as the guide's
 * query (same columns, same order), with the country and the pattern bound as parameters, never pasted in.
 */
export async function gradeCityQuery(lab: { sql: SqlEngine }, airportsInCity: AirportsInCity): Promise<Grade> {
  return grade({ id: 'city-query', number: '1.1' }, async (g) => {
    for (const [i, values] of CITY_CASES.entries()) {
      const where = `${values.isoA3}, ${values.cityPattern}`;
      const query = await g.attempt(
        i === 0 ? 'your function returns { sql, params }' : `it answers for ${where} too`,
        () => airportsInCity(values.isoA3, values.cityPattern),
        'return an object { sql, params }: the SQL text and the list of values its placeholders take',
      );
      if (i === 0) {
        g.expect(
          typeof query?.sql === 'string' && Array.isArray(query.params),
          'your function returns { sql, params }',
          {
            expected: '{ sql: string, params: [...] }',
            seen: shown(query),
            hint: 'return { sql: `SELECT …`, params: [isoA3, cityPattern] }',
          },
        );
      }
      const pasted = [values.isoA3, values.cityPattern.replaceAll('%', '')].filter((v) => query.sql.includes(v));
      g.expect(pasted.length === 0, `the values for ${where} are bound parameters, not part of the SQL text`, {
        expected: `placeholders (${lab.sql.dialect.param(1)}, ${lab.sql.dialect.param(2)}) in the SQL`,
        seen: `${pasted.map((v) => `"${v}"`).join(' and ')} written into the SQL`,
        hint: `write ${lab.sql.dialect.param(1)} where a value goes, and pass the values in params, in order`,
      });
      const { rows } = await g.attempt(
        `${where}: the query runs`,
        () => lab.sql.query(query.sql, query.params),
        `on ${engineLabel(lab.sql.kind)} strings take single quotes and placeholders are ${lab.sql.dialect.param(1)}, ${lab.sql.dialect.param(2)}…`,
      );
      const expected = (await runGuideQuery(lab.sql, airportsByCity, values)).rows;
      checkSameRows(g, rows, expected, where);
    }
  });
}

function checkSameRows(g: Grading, rows: Row[], expected: Row[], where: string): void {
  const columns = Object.keys(rows[0] ?? {});
  g.expect(rows.length === 0 || sameAsJson(columns, CITY_COLUMNS), `${where}: the guide's columns, in its order`, {
    expected: CITY_COLUMNS.join(', '),
    seen: columns.join(', '),
    hint: 'select a.name, a.iata, a.icao, ag.city, ag.country, ag.iso_a3',
  });
  g.expect(
    sameAsJson(rows, expected),
    `${where}: the same ${expected.length} airports as the guide's query, in name order`,
    {
      expected: `${expected.length} rows: ${shown(expected.map((r) => r.iata))}`,
      seen: `${rows.length} rows: ${shown(rows.map((r) => r.iata))}`,
      hint: 'keep only airports with an IATA code, match the city with LIKE, sort by a.name, and stop at 10',
    },
  );
}

/** The learner's answer to "choose the index": which table, and which columns in which order. */
export interface IndexChoice {
  table: string;
  columns: string[];
}

/** The index name the grader creates from the learner's choice (and drops afterwards). */
export const EXERCISE_INDEX = 'exercise_01_choice_idx';

/**
 * Grades "Your turn 1.2": an index on the learner's columns must turn the full scan of `airport_geo` in the
 * all-airports-of-a-country query into a lookup that reads about as many rows as match, with the same answer.
 * The grader creates the index, reads the plan with EXPLAIN ANALYZE, and drops it again; it also drops the
 * lesson's own country index first, so the plan can only be helped by the learner's.
 */
export async function gradeCountryIndex(lab: { sql: SqlEngine }, chooseIndex: () => IndexChoice): Promise<Grade> {
  const { sql } = lab;
  const query = prepareGuideQuery(airportsInCountry, sql.kind, { country: 'Germany' });
  return grade(
    { id: 'choose-index', number: '1.2' },
    async (g) => {
      await dropIndex(sql, 'airport_geo', EXERCISE_INDEX);
      await dropIndex(sql, 'airport_geo', 'airport_geo_country_idx');
      const before = await sql.explain(query.sql, query.params, { analyze: true });
      const expected = (await sql.query(query.sql, query.params)).rows;
      const choice = await g.attempt(
        'your function names a table and its columns',
        chooseIndex,
        'return { table, columns }',
      );
      const known = await knownColumns(sql, choice);
      g.expect(known.ok, 'the table and columns exist', {
        expected: 'a table of the query (airport or airport_geo) and columns it has',
        seen: known.seen,
        hint: 'DESCRIBE airport_geo shows its columns; the WHERE clause names the one the query filters on',
      });
      await sql.query(
        `CREATE INDEX ${sql.dialect.quoteIdent(EXERCISE_INDEX)} ON ${sql.dialect.quoteIdent(choice.table)} (${choice.columns.map(sql.dialect.quoteIdent).join(', ')})`,
      );
      const after = await sql.explain(query.sql, query.params, { analyze: true });
      const geo = describeAccess(after.plan);
      g.expect(!scansFullTable(after.plan, 'airport_geo'), 'the plan no longer reads all of airport_geo', {
        expected: 'no full table scan of airport_geo',
        seen: geo,
        hint: 'index the column that WHERE filters airport_geo on; an index helps only when its first column is that one',
      });
      const lookup = tableAccesses(after.plan, 'airport_geo').find((n) => n.index === EXERCISE_INDEX);
      g.expect(lookup !== undefined && lookup.access !== 'full-index-scan', 'airport_geo is read through your index', {
        expected: `an index lookup through ${EXERCISE_INDEX}`,
        seen: geo,
        hint: 'the engine can jump to the matching entries only when the first column of the index is the filtered one',
      });
      const readBefore = rowsRead(before.plan);
      const readAfter = rowsRead(after.plan);
      g.expect(
        readAfter <= 2 * expected.length,
        `it reads about as many airport_geo rows as match (${formatNumber(expected.length)}), not all ${formatNumber(readBefore)}`,
        {
          expected: `at most ${formatNumber(2 * expected.length)} rows read`,
          seen: `${formatNumber(readAfter)} rows read`,
          hint: 'a lookup reads the matching rows only',
        },
      );
      const rows = (await sql.query(query.sql, query.params)).rows;
      g.expect(sameAsJson(rows, expected), 'the query returns the same airports as without the index', {
        expected: `${expected.length} rows`,
        seen: `${rows.length} rows`,
        hint: 'an index changes how rows are found, never which',
      });
    },
    () => dropIndex(sql, 'airport_geo', EXERCISE_INDEX),
  );
}

async function knownColumns(sql: SqlEngine, choice: IndexChoice): Promise<{ ok: boolean; seen: string }> {
  const seen = shown(choice);
  if (!choice || typeof choice.table !== 'string' || !Array.isArray(choice.columns) || choice.columns.length === 0)
    return { ok: false, seen };
  try {
    [choice.table, ...choice.columns].forEach(assertIdentifier);
  } catch {
    return { ok: false, seen };
  }
  if (!['airport', 'airport_geo'].includes(choice.table)) return { ok: false, seen: `table ${choice.table}` };
  const columns = (await sql.describeTable(choice.table)).map((c) => c.name);
  const missing = choice.columns.filter((c) => !columns.includes(c));
  return missing.length
    ? { ok: false, seen: `${choice.table} has no column ${missing.join(', ')}` }
    : { ok: true, seen };
}

function rowsRead(plan: PlanNode): number {
  const step = tableAccesses(plan, 'airport_geo')[0];
  return step?.rowsRead ?? step?.estimatedRows ?? Number.NaN;
}

function describeAccess(plan: PlanNode): string {
  return (
    tableAccesses(plan, 'airport_geo')
      .map(
        (n) =>
          `${n.access ?? n.operation}${n.index ? ` through ${n.index}` : ''}, ${formatNumber(n.rowsRead ?? n.estimatedRows ?? 0)} rows read`,
      )
      .join('; ') || 'airport_geo is not read'
  );
}
