// Handouts written from recorded runs: two editions per run, an index, masking, FAILED runs, exercises.

import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, projectRoot } from '../../src/config';
import { LabError } from '../../src/errors';
import { labSecrets, maskSecrets, writeHandouts, type RunSummary } from '../../scripts/lib/handouts';
import { oneLinersFromReadme } from '../../scripts/lib/handouts/index-page';
import { tableRows } from '../../scripts/lib/handouts/notebook';
import { hazards } from '../support/hazards';
import { scratchDir } from '../support/scratch';

const root = projectRoot();
const fixture = path.join(root, 'test', 'fixtures', 'handouts');
const course = path.join(root, 'test', 'fixtures', 'course');
const FIXTURE_PASSWORD = 'fixture-secret-pw';
const NOW = new Date('2025-12-16T08:00:00Z');

function allFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

const read = (dir: string, file: string) => readFileSync(path.join(dir, file), 'utf8');

describe('what a handout may contain', () => {
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
    writeFileSync(path.join(to, 'learner', 'mysql', '09-old.html'), 'an earlier run');
    writeHandouts({ from: fixture, to, secrets: [] });
    expect(existsSync(path.join(to, 'learner', 'mysql', '09-old.html'))).toBe(false);
    expect(existsSync(path.join(to, 'index.html'))).toBe(true);
  });

  it('says to run the notebooks when there is no run to make handouts from', () => {
    const empty = scratchDir('handouts');
    expect(() => writeHandouts({ from: empty, to: empty, secrets: [] })).toThrow(/Run `npm run notebooks` first/);
  });
});

describe('handouts from a recorded run', () => {
  const to = scratchDir('handouts');
  const { index, entries, books } = writeHandouts({ from: fixture, to, secrets: [FIXTURE_PASSWORD], now: NOW });
  const indexHtml = readFileSync(index, 'utf8');

  it('writes a learner and an instructor page per executed copy, and an index', () => {
    expect(
      allFiles(to)
        .map((f) => path.relative(to, f))
        .sort(),
    ).toEqual([
      'index.html',
      'instructor/mysql/02-valkey-basics-cache-aside.html',
      'instructor/postgres/01-database-fundamentals.html',
      'learner/mysql/02-valkey-basics-cache-aside.html',
      'learner/postgres/01-database-fundamentals.html',
    ]);
    expect(entries.map((e) => [e.run.notebook, e.run.engine, e.run.ok])).toEqual([
      ['02-valkey-basics-cache-aside.ipynb', 'mysql', true],
      ['01-database-fundamentals.ipynb', 'postgres', false],
      ['03-user-facing-queries.ipynb', 'postgres', false],
    ]);
    for (const e of entries.filter((x) => x.files)) {
      expect(indexHtml).toContain(`href="${e.files!.learner}"`);
      expect(indexHtml).toContain(`href="${e.files!.instructor}"`);
    }
  });

  it("puts each notebook's title, what it teaches in one line and its closing figures into the index, read from the run", () => {
    const nb = JSON.parse(read(fixture, 'mysql/02-valkey-basics-cache-aside.ipynb'));
    const closing = nb.cells.at(-1).outputs.find((o: { data?: object }) => o.data && 'text/html' in o.data).data[
      'text/html'
    ];
    const measured = tableRows(Array.isArray(closing) ? closing.join('') : closing);
    const speedup = measured.find(([name]) => name === 'speedup at p50 / p99')![1]!;
    expect(speedup).toMatch(/\d/);
    expect(indexHtml).toContain(speedup);
    expect(indexHtml).toContain('02 · Valkey basics and cache-aside');
    expect(indexHtml).toContain('Part 2 of the guide (Steps 6–10)');
    // The one line comes from the README's table of notebooks.
    expect(indexHtml).toContain('<p class="teaches">PING, INFO, strings, TTLs and JSON, MONITOR, cache-aside');
    const database = measured.find(([name]) => name === 'database')![1]!;
    expect(entries[0]!.servers.database).toBe(database);
    expect(indexHtml).toContain(database);
    expect(indexHtml).toContain('Cache Me, If You Can — Valkey Edition');
  });

  it('gives dates as a person reads them, not as ISO timestamps', () => {
    expect(indexHtml).toContain('Notebooks run Monday, 1 December 2025 at 09:30 UTC');
    expect(indexHtml).toContain('handouts made Tuesday, 16 December 2025 at 08:00 UTC');
    const page = read(to, 'learner/mysql/02-valkey-basics-cache-aside.html');
    expect(page).toContain('run Monday, 1 December 2025 at 09:30 UTC');
    for (const html of [indexHtml, page]) expect(html).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d/);
  });

  it("marks a failed run FAILED in both editions' titles and banners, and in the index", () => {
    for (const edition of ['learner', 'instructor']) {
      const failed = read(to, `${edition}/postgres/01-database-fundamentals.html`);
      expect(failed).toMatch(/<title>FAILED: /);
      expect(failed).toContain('<div class="banner failed" role="alert">FAILED');
      const passed = read(to, `${edition}/mysql/02-valkey-basics-cache-aside.html`);
      expect(passed).not.toContain('FAILED');
    }
    expect(indexHtml).toMatch(/<title>FAILED: /);
    expect(indexHtml).toContain('2 of 3 runs failed');
    expect(indexHtml).toContain('03-user-facing-queries.ipynb on PostgreSQL');
  });

  it('never shows a password or a connection URL with its user, even when a cell printed them', () => {
    const source = read(fixture, 'postgres/01-database-fundamentals.ipynb');
    expect(source).toContain(FIXTURE_PASSWORD); // the fixture does print it
    const pages = allFiles(to).map((f) => readFileSync(f, 'utf8'));
    for (const html of [...pages, ...books.map((b) => b.html)]) {
      expect(html).not.toContain(FIXTURE_PASSWORD);
      expect(html).not.toMatch(/(mysql|postgres|redis):\/\/[^*\s]+@/);
    }
  });

  it('loads nothing: no script, no stylesheet or font by reference, no file:// or web address as a source', () => {
    for (const file of allFiles(to)) {
      const html = readFileSync(file, 'utf8');
      expect(html, file).not.toMatch(/<script|<link|@import|@font-face|file:\/\/|\s(src|href)="(https?:|\/\/)/i);
    }
  });

  it('folds code away for the learner (a <details> that opens on click) and shows it open to the instructor', () => {
    const learner = read(to, 'learner/mysql/02-valkey-basics-cache-aside.html');
    const instructor = read(to, 'instructor/mysql/02-valkey-basics-cache-aside.html');
    const folded = learner.match(/<details class="code">/g)?.length ?? 0;
    expect(folded).toBeGreaterThan(10);
    expect(learner).not.toContain('<details class="code" open>');
    expect(instructor.match(/<details class="code" open>/g)?.length).toBe(folded);
    // The import block is there, but folded.
    expect(learner).toMatch(
      /<details class="code"><summary>Code <span class="lines">\d+ lines<\/span><\/summary><pre class="source"><code>import \{/,
    );
  });

  it("masks the lab's own passwords from .env", () => {
    const secrets = labSecrets(loadConfig());
    expect(secrets.length).toBeGreaterThan(0); // set-up always sets the lab user's password
    const html = maskSecrets(`password ${secrets[0]} in mysql://u:${encodeURIComponent(secrets[0]!)}@h/db`, secrets);
    expect(html).toBe('password *** in mysql://***@h/db');
  });
});

describe('handouts of a course notebook with exercises (test/fixtures/course)', () => {
  const to = scratchDir('handouts');
  const from = path.join(course, 'run');
  const shipped = path.join(course, 'notebooks');
  const { index, entries, books } = writeHandouts({
    from,
    to,
    secrets: [FIXTURE_PASSWORD],
    shipped,
    now: NOW,
    pdf: true,
  });
  const learner = read(to, 'learner/mysql/90-course-fixture.html');
  const instructor = read(to, 'instructor/mysql/90-course-fixture.html');
  const solutions = read(shipped, 'solutions/90-course-fixture.md');
  const SOLUTION_LINES = [
    'return n * 2; // the reference answer',
    "return ['flight', 'search', from, to, day].join(':');",
  ];

  it('the fixture is a real run: the solutions were injected, the graders passed on MariaDB and failed on PostgreSQL', () => {
    for (const line of SOLUTION_LINES) expect(solutions).toContain(line);
    expect(read(from, 'mysql/90-course-fixture.ipynb')).toContain('✓ double(-3.5) is -7');
    expect(read(from, 'postgres/90-course-fixture.ipynb')).toContain('✗ the key names both airports and the day');
    expect(entries.map((e) => [e.run.notebook, e.run.engine, e.run.ok, e.exercises])).toEqual([
      ['90-course-fixture.ipynb', 'mysql', true, 2],
      ['91-hostile-outputs.ipynb', 'mysql', true, 0],
      ['90-course-fixture.ipynb', 'postgres', false, 2],
    ]);
  });

  it("shows the learner each exercise's task and the cell as shipped, with room to work, and no solution or grade", () => {
    expect(learner).toContain('<h3>Your turn 90.1 · Double a number</h3>');
    expect(learner).toContain('<h3>Your turn 90.2 · Name the cache key</h3>');
    expect(learner).toContain(escape("return todo('return n multiplied by two');"));
    expect(learner).toContain('return todo(&#39;build flight:search:&lt;from&gt;:&lt;to&gt;:&lt;day&gt;&#39;);');
    expect(learner.match(/<div class="workspace">/g)).toHaveLength(2);
    for (const edition of ['learner/mysql', 'learner/postgres']) {
      const page = read(to, `${edition}/90-course-fixture.html`);
      for (const line of SOLUTION_LINES) expect(page, edition).not.toContain(escape(line));
      expect(page).not.toContain('the reference answer');
      expect(page).not.toMatch(/[✓✗] (double|the key|two days)/); // no grader output
      expect(page).not.toContain('gradeDouble(double)'); // no grader cell either
    }
    const learnerBook = books.find((b) => b.edition === 'learner' && b.engine === 'mysql')!.html;
    expect(learnerBook).not.toContain('the reference answer');
  });

  it('shows the instructor the reference solutions and how the graders judged them on this run', () => {
    for (const line of SOLUTION_LINES) expect(instructor).toContain(escape(line));
    expect(instructor).toContain(
      'Reference solution, from <code>solutions/90-course-fixture.md</code>, section <code>double</code>',
    );
    expect(instructor).toContain('✓ double(2) is 4\n✓ double(0) is 0\n✓ double(-3.5) is -7');
    const failed = read(to, 'instructor/postgres/90-course-fixture.html');
    expect(failed).toContain('✗ the key names both airports and the day · expected:');
    expect(failed).toContain('<div class="banner failed" role="alert">FAILED');
  });

  it('keeps the lesson for both: text, the charts, the wide table and the ✓ lines of the checks', () => {
    for (const page of [learner, instructor]) {
      expect(page.match(/<figure class="output output-chart/g)).toHaveLength(2);
      expect(page).toContain('<figure class="output output-chart wide">'); // the 24-hour chart prints landscape
      expect(page).toContain('<div class="output output-html wide">'); // the 13-column table prints small
      expect(page).toContain('✓ every flight has seats left\n✓ five flights that day');
      expect(page).not.toMatch(/chart &quot;.*&quot; \(SVG/); // the chart's text stand-in, drawn already
    }
  });

  it('says so when the run put no solution in (a shipped run), and never falls back to the run for a stub', () => {
    const run = scratchDir('handouts-run');
    mkdirSync(path.join(run, 'mysql'));
    copyFileSync(path.join(shipped, '90-course-fixture.ipynb'), path.join(run, 'mysql', '90-course-fixture.ipynb'));
    const summary: RunSummary = JSON.parse(read(from, 'summary.json'));
    writeFileSync(path.join(run, 'summary.json'), JSON.stringify({ ...summary, runs: summary.runs.slice(0, 1) }));
    const out = scratchDir('handouts');
    writeHandouts({ from: run, to: out, secrets: [], shipped });
    expect(read(out, 'instructor/mysql/90-course-fixture.html')).toContain(
      'The cell as shipped: this run did not put a reference solution in it',
    );
    // No shipped notebook to read the stubs from: the learner is told where the cell is, and gets no solution.
    const solved = scratchDir('handouts');
    writeHandouts({ from, to: solved, secrets: [], shipped: scratchDir('nothing-shipped') });
    const page = read(solved, 'learner/mysql/90-course-fixture.html');
    expect(page).toContain(
      'The cell you start from is in the notebook (it could not be read from notebooks/90-course-fixture.ipynb)',
    );
    expect(page).not.toContain('the reference answer');
  });

  it('gives the index what each notebook teaches in one line, figures whole, and both editions', () => {
    const html = readFileSync(index, 'utf8');
    expect(html).toContain('<p class="teaches">A small notebook written the way the course is');
    // The closing table cut this figure to 80 characters; the index shows it whole.
    expect(read(from, 'mysql/90-course-fixture.ipynb')).toContain('answered by the datab…');
    expect(html).toContain('101 of 58887 reads answered by the database while it took over</td>');
    expect(html).toContain('90-course-fixture · 2 exercises');
    expect(html).toContain('href="pdf/learner-mysql.pdf"');
    expect(books.map((b) => b.pdf).sort()).toEqual([
      'pdf/instructor-mysql.pdf',
      'pdf/instructor-postgres.pdf',
      'pdf/learner-mysql.pdf',
      'pdf/learner-postgres.pdf',
    ]);
  });

  it('shows hostile outputs inert in every page and in the index', () => {
    const pages = ['learner', 'instructor'].map((ed) => read(to, `${ed}/mysql/91-hostile-outputs.html`));
    const indexHtml = readFileSync(index, 'utf8');
    for (const html of [...pages, indexHtml]) expect(html).not.toContain('example.invalid');
    // What the notebook showed (a page's <main>) holds nothing that runs, fetches or restyles the page;
    // nor does the index, but for its own links to the handouts.
    for (const html of pages) expect(hazards(html.slice(html.indexOf('<main'), html.indexOf('</main>')))).toEqual([]);
    expect(
      hazards(indexHtml.slice(indexHtml.indexOf('<body>'))).filter(
        (h) => !/^a\[href=(learner|instructor|pdf)\/[\w/-]+\.(html|pdf)\]$/.test(h),
      ),
    ).toEqual([]);
    expect(readFileSync(index, 'utf8')).toContain(
      '&quot;&gt;&lt;script&gt;window.hacked=&#39;title&#39;&lt;/script&gt; whole',
    );
  });
});

describe("the README's table of notebooks", () => {
  const lines = oneLinersFromReadme(readFileSync(path.join(root, 'README.md'), 'utf8'));

  it('says in one line what every notebook covers, for the index', () => {
    const notebooks = readdirSync(path.join(root, 'notebooks')).filter((f) => /^\d\d-.*\.ipynb$/.test(f));
    expect(notebooks.length).toBeGreaterThan(0);
    for (const nb of notebooks) expect(lines.get(nb.replace(/\.ipynb$/, '')), nb).toMatch(/\w/);
  });

  it('is read as a Markdown table, cell by cell', () => {
    const table = '| notebook | what it covers |\n| --- | --- |\n| `02-x` | a, `b` and c |\n| not one | skipped |';
    expect([...oneLinersFromReadme(table)]).toEqual([['02-x', 'a, `b` and c']]);
  });
});

function escape(code: string): string {
  return code
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
