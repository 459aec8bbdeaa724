// The public entry: what notebooks import is documented, and set-up internals stay behind src/internal.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as api from '../src/index';
import * as internal from '../src/internal';
import { projectRoot } from '../src/config';

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

describe('valkey-lab', () => {
  it('documents every name it exports in docs/API.md', () => {
    const doc = readFileSync(path.join(projectRoot(), 'docs', 'API.md'), 'utf8');
    const undocumented = Object.keys(api).filter((name) => !new RegExp(`\`${name}[\`(]`).test(doc));
    expect(undocumented).toEqual([]);
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
