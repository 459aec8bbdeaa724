import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, projectRoot } from '../../src/config';
import { LabError } from '../../src/errors';
import { labSecrets, maskSecrets, sanitizeMarkup, tableRows, writeHandouts } from '../../scripts/lib/handouts';
import { renderInline, renderMarkdown } from '../../scripts/lib/markdown';
import { scratchDir } from '../support/scratch';

const root = projectRoot();
const fixture = path.join(root, 'test', 'fixtures', 'handouts');
const FIXTURE_PASSWORD = 'fixture-secret-pw';

function allFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

describe('Markdown in handouts', () => {
  it('renders the markup the notebooks write', () => {
    const html = renderMarkdown(
      '# 01 · Title\n\nSome **bold**, *italic* and `code`.\nA second line.\n\n- one\n- two `x`\n\n1. first\n2. second\n\n```sql\nSELECT 1;\n```\n\n| a | b |\n|---|--:|\n| 1 | 2 |',
    );
    expect(html).toContain('<h1>01 · Title</h1>');
    expect(html).toContain('<p>Some <strong>bold</strong>, <em>italic</em> and <code>code</code>.\nA second line.</p>');
    expect(html).toContain('<ul><li>one</li><li>two <code>x</code></li></ul>');
    expect(html).toContain('<ol><li>first</li><li>second</li></ol>');
    expect(html).toContain('<pre><code class="language-sql">SELECT 1;</code></pre>');
    expect(html).toContain('<th>a</th><th style="text-align:right">b</th>');
  });

  it('escapes HTML, keeps markup inside code spans literal, and drops links that are not web addresses', () => {
    expect(renderInline('<script>alert(1)</script> `a **b** <i>`')).toBe(
      '&lt;script&gt;alert(1)&lt;/script&gt; <code>a **b** &lt;i&gt;</code>',
    );
    expect(renderInline('[ok](https://valkey.io) [bad](javascript:alert(1)) [file](file:///etc/passwd)')).toBe(
      '<a href="https://valkey.io">ok</a> [bad](javascript:alert(1)) [file](file:///etc/passwd)',
    );
  });
});

describe('what a handout may contain', () => {
  it('strips scripts, handlers, stylesheets and every outside reference from output markup', () => {
    const dirty =
      '<div onclick="x()"><script src="https://cdn.example/a.js"></script><link rel="stylesheet" href="file:///usr/share/javascript/x.css">' +
      '<img src="http://example.com/a.png"><svg><use xlink:href="#m"/><image href="https://example.com/i.png"/>' +
      '<rect style="fill:url(https://example.com/p)" width="1"/></svg><iframe src="https://x"></iframe></div>';
    const clean = sanitizeMarkup(dirty);
    expect(clean).not.toMatch(/script|onclick|<link|<iframe|https?:|file:/);
    expect(clean).toContain('xlink:href="#m"');
    expect(clean).toContain('<rect style="fill:none" width="1"/>');
  });

  it('masks every password and the credentials of any connection URL', () => {
    const masked = maskSecrets(
      'mysql://flughafen_user:s3cr&t-pw@127.0.0.1:3306/db and redis://:s3cr&t-pw@h:1 and s3cr&amp;t-pw and postgres://u@h/db',
      ['s3cr&t-pw'],
    );
    expect(masked).toBe('mysql://***@127.0.0.1:3306/db and redis://***@h:1 and *** and postgres://***@h/db');
  });

  it('refuses a password too short to mask reliably', () => {
    const to = scratchDir('handouts');
    expect(() => writeHandouts({ from: fixture, to, secrets: ['ab'] })).toThrow(LabError);
  });

  it('refuses to empty a folder that holds anything but earlier handouts', () => {
    const other = scratchDir('handouts');
    writeFileSync(path.join(other, 'notes.txt'), 'mine');
    expect(() => writeHandouts({ from: fixture, to: other, secrets: [] })).toThrow(/Refusing to write handouts/);
    expect(readFileSync(path.join(other, 'notes.txt'), 'utf8')).toBe('mine');
  });

  it('replaces the handouts of an earlier run, so none is left looking current', () => {
    const to = scratchDir('handouts');
    writeHandouts({ from: fixture, to, secrets: [] });
    writeFileSync(path.join(to, 'mysql', '09-old.html'), 'an earlier run');
    writeHandouts({ from: fixture, to, secrets: [] });
    expect(existsSync(path.join(to, 'mysql', '09-old.html'))).toBe(false);
    expect(existsSync(path.join(to, 'index.html'))).toBe(true);
  });

  it('says to run the notebooks when there is no run to make handouts from', () => {
    const empty = scratchDir('handouts');
    expect(() => writeHandouts({ from: empty, to: empty, secrets: [] })).toThrow(/Run `npm run notebooks` first/);
  });
});

describe('handouts from a recorded run', () => {
  const to = scratchDir('handouts');
  const { index, entries } = writeHandouts({ from: fixture, to, secrets: [FIXTURE_PASSWORD] });
  const indexHtml = readFileSync(index, 'utf8');

  it('writes one handout per executed copy, and an index', () => {
    expect(
      allFiles(to)
        .map((f) => path.relative(to, f))
        .sort(),
    ).toEqual(['index.html', 'mysql/02-valkey-basics-cache-aside.html', 'postgres/01-database-fundamentals.html']);
    expect(entries.map((e) => [e.run.notebook, e.run.engine, e.run.ok])).toEqual([
      ['02-valkey-basics-cache-aside.ipynb', 'mysql', true],
      ['01-database-fundamentals.ipynb', 'postgres', false],
      ['03-user-facing-queries.ipynb', 'postgres', false],
    ]);
  });

  it("puts each notebook's title, opening paragraph and closing figures into the index, read from the run", () => {
    const nb = JSON.parse(readFileSync(path.join(fixture, 'mysql', '02-valkey-basics-cache-aside.ipynb'), 'utf8'));
    const closing = nb.cells.at(-1).outputs.find((o: { data?: object }) => o.data && 'text/html' in o.data).data[
      'text/html'
    ];
    const measured = tableRows(Array.isArray(closing) ? closing.join('') : closing);
    const speedup = measured.find(([name]) => name === 'speedup at p50 / p99')![1]!;
    expect(speedup).toMatch(/\d/);
    expect(indexHtml).toContain(speedup);
    expect(indexHtml).toContain('02 · Valkey basics and cache-aside');
    expect(indexHtml).toContain('Part 2 of the guide (Steps 6–10)');
    const database = measured.find(([name]) => name === 'database')![1]!;
    expect(entries[0]!.servers.database).toBe(database);
    expect(indexHtml).toContain(database);
    expect(indexHtml).toContain('Cache Me, If You Can — Valkey Edition');
    expect(indexHtml).toContain('2025-12-01T09:30:00.000Z');
  });

  it("marks a failed run FAILED in the handout's title and banner, and in the index", () => {
    const failed = readFileSync(path.join(to, 'postgres', '01-database-fundamentals.html'), 'utf8');
    expect(failed).toMatch(/<title>FAILED: /);
    expect(failed).toContain('<div class="banner failed" role="alert">FAILED');
    expect(indexHtml).toMatch(/<title>FAILED: /);
    expect(indexHtml).toContain('2 of 3 runs failed');
    expect(indexHtml).toContain('03-user-facing-queries.ipynb on PostgreSQL');
    const passed = readFileSync(path.join(to, 'mysql', '02-valkey-basics-cache-aside.html'), 'utf8');
    expect(passed).not.toContain('FAILED');
  });

  it('never shows a password or a connection URL with its user, even when a cell printed them', () => {
    const source = readFileSync(path.join(fixture, 'postgres', '01-database-fundamentals.ipynb'), 'utf8');
    expect(source).toContain(FIXTURE_PASSWORD); // the fixture does print it
    for (const file of allFiles(to)) {
      const html = readFileSync(file, 'utf8');
      expect(html, file).not.toContain(FIXTURE_PASSWORD);
      expect(html, file).not.toMatch(/(mysql|postgres|redis):\/\/[^*\s]+@/);
    }
  });

  it('loads nothing: no script, no stylesheet or font by reference, no file:// or web address as a source', () => {
    for (const file of allFiles(to)) {
      const html = readFileSync(file, 'utf8');
      expect(html, file).not.toMatch(/<script|<link|@import|@font-face|file:\/\/|\s(src|href)="(https?:|\/\/)/i);
    }
  });

  it("masks the lab's own passwords from .env", () => {
    const secrets = labSecrets(loadConfig());
    expect(secrets.length).toBeGreaterThan(0); // set-up always sets the lab user's password
    const html = maskSecrets(`password ${secrets[0]} in mysql://u:${encodeURIComponent(secrets[0]!)}@h/db`, secrets);
    expect(html).toBe('password *** in mysql://***@h/db');
  });
});
