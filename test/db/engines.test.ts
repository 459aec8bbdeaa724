// The engine registry: each engine is one definition, callers look it up, and no code outside an
// engine's folder branches on an engine's name.

import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE_KINDS, loadConfig, projectRoot, targetOf, type EngineKind } from '../../src/config';
import type { TableDefinition } from '../../src/db/ddl';
import type { SqlEngine } from '../../src/db/engine';
import { engineDefinition, engineDefinitions } from '../../src/db/engines';
import { listIndexes } from '../../src/db/indexes';
import { testConfig } from '../support/lab';

const root = projectRoot();

describe('the registry', () => {
  it('knows every engine once, under its own kind', () => {
    expect(engineDefinitions().map((d) => d.kind)).toEqual([...ENGINE_KINDS]);
    for (const kind of ENGINE_KINDS) expect(engineDefinition(kind).kind).toBe(kind);
  });

  it.each([
    ['MYSQL_URL', 'mariadb://lab@db.example/flights', 'mysql', 3306],
    ['PG_URL', 'postgresql://lab@db.example/flights', 'postgres', 5432],
  ] as const)('%s accepts the schemes and default port its engine declares', (variable, url, kind, port) => {
    const config = loadConfig({ env: { [variable]: url }, root: '/nonexistent' });
    expect(targetOf(config, kind)).toMatchObject({ kind, host: 'db.example', port, database: 'flights' });
    expect(engineDefinition(kind).urlSchemes).toContain(new URL(url).protocol);
    expect(engineDefinition(kind).defaultPort).toBe(port);
  });
});

/** Every column type the dataset uses, once, in one scratch table. */
const SCRATCH: TableDefinition = {
  name: 'lab_registry_scratch',
  about: "A scratch table for the registry's test.",
  columns: [
    { name: 'id', type: { kind: 'int' } },
    { name: 'small', type: { kind: 'smallint' } },
    { name: 'big', type: { kind: 'bigint' } },
    { name: 'medium', type: { kind: 'mediumint-unsigned' } },
    { name: 'flag', type: { kind: 'flag' } },
    { name: 'day', type: { kind: 'date' } },
    { name: 'at_time', type: { kind: 'time' } },
    { name: 'at', type: { kind: 'datetime' } },
    { name: 'note', type: { kind: 'text' }, nullable: true },
    { name: 'code', type: { kind: 'char', length: 3 } },
    { name: 'label', type: { kind: 'varchar', length: 20 } },
    { name: 'price', type: { kind: 'decimal', precision: 10, scale: 2 } },
    { name: 'kind', type: { kind: 'enum', values: ['Fog', 'Rain'] } },
  ],
  primaryKey: ['id'],
  indexes: [{ name: 'lab_registry_scratch_code_idx', columns: ['code'], unique: true }],
  foreignKeys: [],
};

describe.each(ENGINE_KINDS)('the %s definition', (kind: EngineKind) => {
  const definition = engineDefinition(kind);
  let engine: SqlEngine;

  beforeAll(async () => {
    const config = testConfig();
    engine = await definition.connect(targetOf(config, kind));
    await engine.query(definition.ddl.dropTables([SCRATCH.name]));
  });

  afterAll(async () => {
    await engine.query(definition.ddl.dropTables([SCRATCH.name]));
    await engine.close();
  });

  it('connects as the lab user to its engine, and counts its own placeholders', async () => {
    expect(engine.kind).toBe(kind);
    const sql = `SELECT ${definition.dialect.param(1)} AS a, ${definition.dialect.param(2)} AS b`;
    expect(definition.dialect.paramCount(sql)).toBe(2);
    const { rows } = await engine.query<{ a: unknown; b: unknown }>(sql, ['x', 'y']);
    expect(rows).toEqual([{ a: 'x', b: 'y' }]);
  });

  it('renders a table definition as DDL the server takes, upserts by key, and builds its keys', async () => {
    await engine.query(definition.ddl.createTable(SCRATCH, { ifNotExists: true }));
    await engine.query(definition.ddl.createTable(SCRATCH, { ifNotExists: true })); // again: nothing happens
    const columns = SCRATCH.columns.map((c) => c.name);
    const upsert = definition.ddl.upsert(SCRATCH.name, ['id'], columns);
    const row = (label: string) => [
      1,
      2,
      3,
      4,
      1,
      '2025-12-15',
      '09:30:00',
      '2025-12-15 09:30:00',
      null,
      'JFK',
      label,
      12.5,
      'Fog',
    ];
    await engine.query(upsert, row('first'));
    await engine.query(upsert, row('second'));
    const { rows } = await engine.query<{ n: number; label: string }>(
      `SELECT COUNT(*) AS n, MAX(label) AS label FROM ${SCRATCH.name}`,
    );
    expect(Number(rows[0]!.n)).toBe(1);
    expect(rows[0]!.label).toBe('second');

    for (const sql of definition.ddl.keys(SCRATCH).indexes) await engine.query(sql);
    expect(await listIndexes(engine, SCRATCH.name)).toContainEqual({
      name: 'lab_registry_scratch_code_idx',
      columns: ['code'],
      unique: true,
    });
    const insert = `INSERT INTO ${SCRATCH.name} (${columns.join(', ')}) VALUES (${columns.map((_, n) => definition.dialect.param(n + 1)).join(', ')})`;
    await expect(engine.query(insert, [2, ...row('a second JFK').slice(1)])).rejects.toThrow(); // the unique index holds
    await engine.query(definition.ddl.analyzeTables([SCRATCH.name]));
  });
});

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return sourceFiles(file);
    return /\.(ts|ipynb)$/.test(name) ? [file] : [];
  });
}

describe('outside src/db/<engine>/', () => {
  const files = ['src', 'datasets', 'scripts', 'notebooks'].flatMap((d) => sourceFiles(path.join(root, d)));
  const engineFolder = new RegExp(`^src/db/(${ENGINE_KINDS.join('|')})/`);

  it('no code branches on an engine name', () => {
    const branch = new RegExp(`[!=]==\\s*'(${ENGINE_KINDS.join('|')})'|'(${ENGINE_KINDS.join('|')})'\\s*[!=]==`);
    const offenders = files
      .map((f) => path.relative(root, f))
      .filter((f) => !engineFolder.test(f))
      .filter((f) => branch.test(readFileSync(path.join(root, f), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it("no statement is written per engine in the library outside src/db/<engine>/ (a guide query's two texts aside)", () => {
    const perEngine = new RegExp(`^\\s*(${ENGINE_KINDS.join('|')}):\\s*(\\[\\s*)?['"\`]`, 'm');
    const offenders = files
      .map((f) => path.relative(root, f))
      .filter((f) => f.startsWith('src/') && !engineFolder.test(f))
      .filter((f) => perEngine.test(readFileSync(path.join(root, f), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('the library never imports the dataset folder (the dataset builds on the library, not the reverse)', () => {
    const offenders = sourceFiles(path.join(root, 'src')).filter((f) =>
      /from '(\.\.\/)+datasets/.test(readFileSync(f, 'utf8')),
    );
    expect(offenders).toEqual([]);
  });
});
