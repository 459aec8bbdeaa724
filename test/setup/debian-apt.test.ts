// Set-up's apt side: the Debian mirror is read from the machine's own apt sources (one-line and deb822 alike),
// never typed in; and a Valkey set-up cannot build is refused in one line before anything is installed.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtValkey, projectRoot } from '../../src/internal';
import { scratchDir } from '../support/scratch';

const root = projectRoot();
const onDebian = spawnSync('bash', ['-c', `. scripts/lib/debian-apt.sh && debian_codename`], {
  cwd: root,
  encoding: 'utf8',
}).stdout.trim();
const hasApt = spawnSync('apt-get', ['--version']).status === 0;

/** debian_mirror as set-up runs it, with apt reading only the sources files given here. */
function mirrorFrom(files: Record<string, string>): string {
  const dir = scratchDir('apt-sources');
  mkdirSync(path.join(dir, 'sources.list.d'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  const config = path.join(dir, 'apt.conf');
  writeFileSync(
    config,
    `Dir::Etc::SourceList "${dir}/sources.list";\nDir::Etc::SourceParts "${dir}/sources.list.d";\n`,
  );
  return execFileSync('bash', ['-c', '. scripts/lib/debian-apt.sh && debian_mirror'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, APT_CONFIG: config },
  }).trim();
}

describe.skipIf(!onDebian || !hasApt)("the Debian mirror, read from the machine's apt sources", () => {
  const codename = onDebian;

  it('from a one-line sources.list, past the security suite and an entry with options', () => {
    const list = [
      '# the mirror of this machine',
      `deb http://security.mirror.test/debian-security ${codename}-security main`,
      `deb [arch=amd64] http://mirror.test/debian/ ${codename} main contrib`,
      `deb-src http://mirror.test/debian ${codename} main`,
    ].join('\n');
    expect(mirrorFrom({ 'sources.list': `${list}\n` })).toBe('http://mirror.test/debian');
  });

  it('from a deb822 .sources file with several suites', () => {
    const sources = [
      'Types: deb',
      'URIs: https://mirror.test/debian',
      `Suites: ${codename} ${codename}-updates`,
      'Components: main',
      '',
      'Types: deb',
      'URIs: https://security.mirror.test/debian-security',
      `Suites: ${codename}-security`,
      'Components: main',
    ].join('\n');
    expect(mirrorFrom({ 'sources.list': '', 'sources.list.d/debian.sources': `${sources}\n` })).toBe(
      'https://mirror.test/debian',
    );
  });

  it("takes the release's -updates or -backports suite when the release itself is not listed", () => {
    const list = `deb http://proxy.mirror.test:3142/debian ${codename}-backports main\n`;
    expect(mirrorFrom({ 'sources.list': list })).toBe('http://proxy.mirror.test:3142/debian');
  });

  it('says nothing when no suite of this release is there', () => {
    expect(mirrorFrom({ 'sources.list': 'deb http://elsewhere.test/ubuntu noble main\n' })).toBe('');
  });
});

describe('asking set-up for a Valkey', () => {
  it('refuses a version it cannot build, in one line, before installing anything', () => {
    const run = spawnSync('bash', ['scripts/setup.sh', '--valkey', '7.2'], { cwd: root, encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe(
      "[setup] --valkey takes 9.1 (built from Debian's source package) or 8.0 (Debian's package), not '7.2'.",
    );
  });

  it.skipIf(!builtValkey())('reuses a finished Valkey 9.1 build instead of building again', () => {
    const run = spawnSync('bash', ['scripts/build-valkey.sh'], { cwd: root, encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/Valkey 9\.1\.\d+ is built already/);
  });
});
