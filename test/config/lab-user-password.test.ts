// Clones of the lab on one machine share the lab user (one account per database server), so they share its
// password: a second clone's set-up must not lock the first one out.

import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSharedPassword, resolveLabUserPassword, sharedPasswordFile } from '../../scripts/lib/lab-user-password';
import { scratchDir } from '../support/scratch';

describe("the lab user's password, shared by every clone on a machine", () => {
  const fileIn = (dir: string) => sharedPasswordFile({ XDG_CONFIG_HOME: dir });

  it('is generated once, by the first clone, and kept where only this machine user can read it', () => {
    const file = fileIn(scratchDir('shared-first'));
    const first = resolveLabUserPassword(undefined, undefined, file);
    expect(first.source).toBe('generated');
    expect(first.password).toMatch(/^[\w-]{24}$/);
    expect(readSharedPassword(file)).toBe(first.password);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('goes to a second clone unchanged, so the first is not locked out', () => {
    const file = fileIn(scratchDir('shared-second'));
    const first = resolveLabUserPassword(undefined, undefined, file);
    const second = resolveLabUserPassword(undefined, undefined, file);
    expect(second).toEqual({ password: first.password, source: 'shared' });
  });

  it("wins over an older clone's own .env password, so both clones end up with one password", () => {
    const file = fileIn(scratchDir('shared-older'));
    const shared = resolveLabUserPassword(undefined, 'older-clone', file).password;
    expect(shared).toBe('older-clone');
    expect(resolveLabUserPassword(undefined, 'another-older-clone', file)).toEqual({
      password: 'older-clone',
      source: 'shared',
    });
  });

  it('takes an explicit LAB_DB_PASSWORD from the environment, and every clone follows it from then on', () => {
    const file = fileIn(scratchDir('shared-explicit'));
    resolveLabUserPassword(undefined, undefined, file);
    expect(resolveLabUserPassword('chosen', undefined, file)).toEqual({ password: 'chosen', source: 'environment' });
    expect(readFileSync(file, 'utf8')).toBe('chosen\n');
    expect(resolveLabUserPassword(undefined, 'stale', file).password).toBe('chosen');
  });

  it('lives under XDG_CONFIG_HOME when it is set, else under ~/.config', () => {
    expect(sharedPasswordFile({ XDG_CONFIG_HOME: '/x' })).toBe(
      path.join('/x', 'cache-me-if-you-can', 'lab-user-password'),
    );
    expect(sharedPasswordFile({})).toMatch(/\.config\/cache-me-if-you-can\/lab-user-password$/);
  });
});
