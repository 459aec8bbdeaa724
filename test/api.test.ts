// The public entry: small (only what notebooks and exercises use), documented by docs/API.md as generated from
// it, and set-up internals kept behind src/internal.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as api from '../src/index';
import * as internal from '../src/internal';
import { projectRoot } from '../src/config';
import { libraryUsage, readEntry, renderApiDoc } from '../scripts/lib/api-doc';

const SET_UP_INTERNALS = [
  'ensureManagedValkey',
  'freePort',
  'readDotEnv',
  'readManagedValkey',
  'projectRoot',
  'provisionLabDatabase',
  'engineDefinition',
  'connectSql',
  'MysqlEngine',
  'PostgresEngine',
  'assertIdentifier',
];

const groups = readEntry();
const entryNames = groups.flatMap((g) => g.names);
const usage = libraryUsage();

describe('valkey-lab', () => {
  it('has docs/API.md as `npm run api` writes it from the entry and its doc comments', () => {
    const doc = readFileSync(path.join(projectRoot(), 'docs', 'API.md'), 'utf8');
    // On a mismatch: run `npm run api` and commit docs/API.md.
    expect(doc).toBe(renderApiDoc(groups));
  });

  it('gives every value it exports a doc comment', () => {
    const undocumented = entryNames.filter((n) => n.kind !== 'type' && !n.doc).map((n) => `${n.name} (${n.file})`);
    expect(undocumented).toEqual([]);
  });

  it('groups its names by what a learner does, each group with a line on what it is for', () => {
    expect(groups.map((g) => g.title)).toEqual([
      'Connect',
      'Query and explain',
      'Cache patterns',
      'Structures',
      'Measure',
      'Show',
      'Exercises',
    ]);
    for (const group of groups) expect(group.about, group.title).not.toBe('');
  });

  it('lists what the module exports, no more and no less', () => {
    const values = entryNames.filter((n) => n.kind !== 'type').map((n) => n.name);
    expect(values.sort()).toEqual(Object.keys(api).sort());
    expect(new Set(entryNames.map((n) => n.name)).size).toBe(entryNames.length);
  });

  it('exports only values a notebook, a reference solution or a test of the entry uses', () => {
    const unused = Object.keys(api).filter((name) => !usage.has(name));
    // A name no notebook needs belongs in src/internal.ts (scripts, tests) or nowhere.
    expect(unused).toEqual([]);
  });

  it('exports every name a notebook imports from it', () => {
    const exported = new Set(entryNames.map((n) => n.name));
    const missing = [...usage]
      .filter(([name, users]) => !exported.has(name) && users.some((u) => u.endsWith('.ipynb')))
      .map(([name, users]) => `${name} (${users[0]})`);
    expect(missing).toEqual([]);
  });

  it('keeps set-up internals out of what notebooks import, and offers them through src/internal', () => {
    for (const name of SET_UP_INTERNALS) {
      expect(Object.keys(api)).not.toContain(name);
      expect(Object.keys(internal)).toContain(name);
    }
  });

  it('offers what the notebooks use', () => {
    for (const name of ['openLab', 'check', 'showQuery', 'showTable', 'datasetStatus', 'createCacheAside', 'bench']) {
      expect(typeof (api as Record<string, unknown>)[name]).toBe('function');
    }
  });
});
