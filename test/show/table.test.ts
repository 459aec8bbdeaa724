// Tables: escaped HTML and aligned text from rows or a DataFrame, cut to maxRows with a note.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { LabError } from '../../src/errors';
import { summarizeSamples } from '../../src/measure';
import {
  benchTable,
  escapeHtml,
  formatCell,
  formatNumber,
  renderTable,
  showTable,
  toDataFrame,
  type TableRow,
} from '../../src/show';

afterEach(() => {
  vi.restoreAllMocks();
});

const airports: TableRow[] = [
  { airport_id: 1, iata: 'FRA', name: 'Frankfurt am Main', passengers: 61_500_000, share: 0.4213 },
  { airport_id: 2, iata: 'MUC', name: 'München', passengers: 41_600_000, share: 0.28 },
  { airport_id: 12345, iata: null, name: 'Flugplatz <Ost> & "West"', passengers: 950, share: 0.0062 },
];

function manyRows(n: number): TableRow[] {
  return Array.from({ length: n }, (_, i) => ({ flight_id: i + 1, flightno: `LH${1000 + i}` }));
}

describe('renderTable', () => {
  it('escapes HTML in values, column names and the caption', () => {
    const { html } = renderTable([{ '<col>': '<script>alert(1)</script>' }], { caption: 'a & b' });
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('<th style="padding:2px 8px;text-align:left">&lt;col&gt;</th>');
    expect(html).toContain('a &amp; b</caption>');
    expect(renderTable(airports).html).toContain('Flugplatz &lt;Ost&gt; &amp; &quot;West&quot;');
  });

  it('right-aligns number columns and formats their values; ids stay as they are', () => {
    const { html, text } = renderTable(airports);
    expect(html).toContain('<td style="padding:2px 8px;text-align:right">61,500,000</td>');
    expect(html).toContain('<td style="padding:2px 8px;text-align:right">12345</td>');
    expect(html).toContain('<td style="padding:2px 8px;text-align:right">0.421</td>');
    expect(html).toContain('<td style="padding:2px 8px;text-align:left">FRA</td>');
    const lines = text.split('\n');
    expect(lines[0]).toBe('airport_id  iata  name                      passengers   share');
    expect(lines[1]).toBe('----------  ----  ------------------------  ----------  ------');
    expect(lines[2]).toBe('         1  FRA   Frankfurt am Main         61,500,000   0.421');
    expect(lines[4]).toBe('     12345  NULL  Flugplatz <Ost> & "West"         950  0.0062');
  });

  it('shows null as NULL (marked in HTML) and a missing value as empty', () => {
    const { html, text } = renderTable([{ a: 1, b: null }, { a: 2 }]);
    expect(html).toContain('<span style="color:#888;font-style:italic">NULL</span>');
    expect(text.split('\n')).toEqual(['a  b', '-  ----', '1  NULL', '2']);
  });

  it('shows the first 20 rows by default and says how many there are', () => {
    const table = renderTable(manyRows(312));
    expect(table).toMatchObject({ shownRows: 20, totalRows: 312 });
    expect(table.text.split('\n')).toHaveLength(2 + 20 + 1);
    expect(table.text.endsWith('showing 20 of 312 rows')).toBe(true);
    expect(table.html).toContain('>showing 20 of 312 rows</p>');
    expect(table.html.match(/<tr>/g)).toHaveLength(21); // header + 20 rows
  });

  it('takes maxRows and a caption, and adds no note when everything fits', () => {
    const cut = renderTable(manyRows(5), { maxRows: 3, caption: 'Flights from FRA' });
    expect(cut.text.split('\n')[0]).toBe('Flights from FRA');
    expect(cut.text).toContain('showing 3 of 5 rows');
    expect(renderTable(manyRows(3), { maxRows: 3 }).text).not.toContain('showing');
    expect(() => renderTable(manyRows(3), { maxRows: 0 })).toThrow(LabError);
  });

  it('says so when there are no rows', () => {
    expect(renderTable([]).text).toContain('no rows');
  });

  it('keeps to the columns asked for, in that order', () => {
    const { text } = renderTable(airports, { columns: ['iata', 'airport_id'] });
    expect(text.split('\n')[0]).toBe('iata  airport_id');
  });

  it('reads a DataFrame-shaped object (columns + values) without danfojs', () => {
    const frame = {
      columns: ['route', 'flights'],
      values: [
        ['JFK-LAX', 120_000],
        ['ATL-ORD', 95_500],
      ],
    };
    const { text, html } = renderTable(frame);
    expect(text.split('\n')[2]).toBe('JFK-LAX  120,000');
    expect(html).toContain('JFK-LAX');
    expect(() => renderTable(frame, { columns: ['nope'] })).toThrow(/No column "nope"/);
  });

  it('writes dates, bytes, JSON and long text so a row stays on one line', () => {
    const { text } = renderTable(
      [
        {
          departure: new Date('2025-12-15T08:30:00Z'),
          day: new Date('2025-12-15T00:00:00Z'),
          seats: Buffer.from([1, 2, 3]),
          meta: { tags: ['route:JFK-LAX'] },
          note: `${'x'.repeat(100)}\nsecond line`,
        },
      ],
      { maxCellChars: 20 },
    );
    const row = text.split('\n')[2]!;
    expect(row).toContain('2025-12-15 08:30:00');
    expect(row).toContain('2025-12-15  ');
    expect(row).toContain('<3 bytes>');
    expect(row).toContain('{"tags":["route:JFK…');
    expect(row).toContain(`${'x'.repeat(19)}…`);
  });

  it('keeps the whole text of a cut cell in its title, where a reader can hover and the handouts read it', () => {
    const whole = `failover: 101 of 58887 reads answered by the database while the replica took over <${'x'.repeat(30)}>`;
    const { html } = renderTable([
      { measurement: 'failover', value: whole },
      { measurement: 'short', value: 'kept' },
    ]);
    expect(html).toContain(`title="${escapeHtml(whole)}">${escapeHtml(whole.slice(0, 79))}…</td>`);
    expect(html).toContain('>kept</td>');
    expect(html.match(/title=/g)).toHaveLength(1);
  });
});

describe('showTable', () => {
  it('takes rows of any interface, e.g. benchmark rows', () => {
    interface Airport {
      iata: string;
      passengers: number;
    }
    const rows: Airport[] = [{ iata: 'JFK', passengers: 62_400_000 }];
    expect(renderTable(rows).text.split('\n')[2]).toBe('JFK   62,400,000');
    expect(renderTable(benchTable([summarizeSamples('cache hit', [0.05, 0.06])])).text).toContain('cache hit');
  });

  it('prints and returns the text table outside a notebook', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const shown = showTable(manyRows(30), { maxRows: 2 });
    expect(shown).toContain('showing 2 of 30 rows');
    expect(log).toHaveBeenCalledWith(shown);
  });
});

describe('toDataFrame', () => {
  it('builds a real danfojs DataFrame that renders like the rows it came from', async () => {
    const frame = await toDataFrame(airports);
    expect(frame.shape).toEqual([3, 5]);
    expect(frame.columns).toEqual(['airport_id', 'iata', 'name', 'passengers', 'share']);
    const fromFrame = renderTable(frame);
    expect(fromFrame.text).toBe(renderTable(airports).text);
    expect(fromFrame.html).toContain('Flugplatz &lt;Ost&gt;');
  }, 30_000);

  it("shows describe()'s statistics with their names as the first column", async () => {
    const frame = await toDataFrame(airports);
    const described = frame.loc({ columns: ['passengers'] }).describe();
    const lines = renderTable(described).text.split('\n');
    expect(lines[0]).toMatch(/^\s+passengers$/);
    expect(lines.slice(2).map((line) => line.trim().split(/\s+/)[0])).toEqual([
      'count',
      'mean',
      'std',
      'min',
      'median',
      'max',
      'variance',
    ]);
  }, 30_000);

  it('refuses to build one from no rows', async () => {
    await expect(toDataFrame([])).rejects.toThrow(/no rows/);
  });
});

describe('formatting', () => {
  it('groups large quantities, not ids or years, and rounds fractions sensibly', () => {
    expect(formatNumber(3_000_000)).toBe('3,000,000');
    expect(formatNumber(999)).toBe('999');
    expect(formatNumber(7184)).toBe('7,184');
    expect(formatNumber(1234.5)).toBe('1,234.5');
    expect(formatNumber(123456, true)).toBe('123456');
    expect(formatNumber(0.052349)).toBe('0.0523');
    expect(formatNumber(12.3456)).toBe('12.35');
    expect(formatNumber(143.26)).toBe('143.3');
    expect(formatNumber(12345.67)).toBe('12,345.7');
    expect(formatNumber(12345678901234567890n)).toBe('12,345,678,901,234,567,890');
    expect(formatCell(2025, 'year').text).toBe('2025');
    expect(formatCell(54321, 'passenger_id').text).toBe('54321');
  });

  it('lines up exact-number strings from the drivers (PostgreSQL bigint, DECIMAL) to the right', () => {
    expect(formatCell('312', 'count')).toMatchObject({ text: '312', numeric: true });
    expect(formatCell('199.00', 'price')).toMatchObject({ text: '199.00', numeric: true });
    expect(formatCell('JFK', 'iata')).toMatchObject({ numeric: false });
  });
});
