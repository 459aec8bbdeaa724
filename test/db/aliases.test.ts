import { describe, expect, it } from 'vitest';
import { tableAliases } from '../../src/db';

describe('table aliases in SQL (MariaDB plans name tables by alias)', () => {
  it('maps the aliases of FROM and JOIN to their tables, with or without AS and a schema', () => {
    const aliases = tableAliases(
      'SELECT * FROM airport a JOIN airport_geo AS ag ON a.airport_id = ag.airport_id LEFT JOIN information_schema.tables t ON 1 = 1 WHERE a.iata = ?',
    );
    expect(Object.fromEntries(aliases)).toEqual({
      a: 'airport',
      airport: 'airport',
      ag: 'airport_geo',
      airport_geo: 'airport_geo',
      t: 'tables',
      tables: 'tables',
    });
  });

  it('does not take a keyword that follows a bare table name for an alias', () => {
    const aliases = tableAliases('SELECT COUNT(*) FROM booking WHERE flight_id = 1001 GROUP BY seat');
    expect(Object.fromEntries(aliases)).toEqual({ booking: 'booking' });
  });
});
