// Checks outside a notebook: a holding one returns its confirmation, a failing one throws.

import { describe, expect, it, vi } from 'vitest';
import { CheckFailed, check } from '../src/check';

describe('check', () => {
  it('returns the confirmation outside a kernel, without printing it', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    expect(check(1 + 1 === 2, 'one and one make two')).toBe('✓ one and one make two');
    expect(log).not.toHaveBeenCalled();
    log.mockRestore();
  });

  it('throws CheckFailed with the statement when it does not hold', () => {
    expect(() => check(0, 'zero is truthy')).toThrow(CheckFailed);
    expect(() => check(0, 'zero is truthy')).toThrow('Check failed: zero is truthy');
  });
});
