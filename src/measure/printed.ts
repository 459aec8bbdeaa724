// How measurements print when a notebook cell ends with one: every figure, but long arrays only counted.

import { inspect, type InspectOptions } from 'node:util';

const CUSTOM_INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** Stands in for a long array in the printed form: `[1000 samples]`. */
class Counted {
  constructor(
    readonly length: number,
    readonly what: string,
  ) {}
  [CUSTOM_INSPECT](): string {
    return `[${this.length} ${this.what}]`;
  }
}

/**
 * Makes `value` print with its long arrays replaced by their length, so a cell ending in
 * `await bench(...)` shows the figures, not a thousand samples. Wording and rounding belong to `show/`;
 * this only keeps the raw data readable. Non-enumerable: JSON and equality checks do not see it.
 */
export function printsBriefly<T extends object>(value: T, arrays: Partial<Record<keyof T, string>>): T {
  Object.defineProperty(value, CUSTOM_INSPECT, {
    value: (_depth: number, options: InspectOptions) => {
      const shown: Record<string, unknown> = { ...(value as Record<string, unknown>) };
      for (const [field, what] of Object.entries(arrays) as Array<[string, string]>) {
        const items = shown[field];
        if (Array.isArray(items)) shown[field] = new Counted(items.length, what);
      }
      return `${value.constructor === Object ? '' : `${value.constructor.name} `}${inspect(shown, { ...options, depth: 3 })}`;
    },
    enumerable: false,
  });
  return value;
}
