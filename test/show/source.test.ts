// showSource's finder: a declaration of the library's own source, top-level or a factory's inner step.

import { describe, expect, it } from 'vitest';
import { sourceOf } from '../../src/show/source';

describe('sourceOf', () => {
  it('finds a top-level declaration with the comment above it', () => {
    const text = sourceOf('structures/seats.ts', 'APPLY_CHANGE');
    expect(text.split('\n')[0]).toMatch(/^\/\*\* KEYS: seats, seatmap, pending/);
    expect(text).toContain("redis.call('SETBIT', KEYS[2]");
    expect(text.trimEnd().endsWith('`;')).toBe(true);
  });

  it("finds a factory's inner step and shows it at the left margin, whole", () => {
    const text = sourceOf('patterns/write-behind.ts', 'handle');
    const lines = text.split('\n');
    expect(lines[0]).toBe('async function handle(entry: StreamEntry, source: EntrySource): Promise<void> {');
    expect(lines.at(-1)).toBe('}');
    expect(text).toContain('await acknowledge(entry.id);');
    expect(text.indexOf('options.apply(entry)')).toBeLessThan(text.indexOf('await acknowledge(entry.id)'));
  });

  it('finds a named arrow function inside a factory: the near cache’s invalidation handler', () => {
    const text = sourceOf('patterns/near-cache.ts', 'onInvalidation');
    expect(text).toMatch(/^\/\*\*/);
    expect(text).toContain('const onInvalidation = (channel: string, message: unknown) => {');
    expect(text.trimEnd().endsWith('};')).toBe(true);
  });

  it('says which file has no such name', () => {
    expect(() => sourceOf('patterns/write-behind.ts', 'noSuchThing')).toThrow(/declares nothing named noSuchThing/);
  });
});

describe('sourceOf on a script in a template literal', () => {
  it('ends where the backtick closes it, even on a line of code', () => {
    const text = sourceOf('patterns/write-through.ts', 'STORE_IF_NEWER');
    expect(text.trimEnd().endsWith('return 1`;')).toBe(true);
    expect(text).not.toContain('WriteThroughOptions');
  });

  it('ends there too when the script starts on the declaration line: the lock release', () => {
    const text = sourceOf('valkey/conditional.ts', 'COMPARE_AND_DELETE_LUA');
    expect(text.trimEnd().endsWith('end`;')).toBe(true);
    expect(text).toContain("redis.call('DEL', KEYS[1])");
    expect(text).not.toContain('ConditionalOutcome');
  });
});
