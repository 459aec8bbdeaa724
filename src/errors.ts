// One error type for everything the lab can tell a learner how to fix.

/**
 * An error whose message is one line: what failed, where, and what to do.
 * `where` is a place such as `127.0.0.1:3306/flughafendb` (never a password).
 */
export class LabError extends Error {
  readonly what: string;
  readonly where: string | undefined;
  readonly fix: string | undefined;

  constructor(parts: { what: string; where?: string; fix?: string; cause?: unknown }) {
    const where = parts.where ? ` at ${parts.where}` : '';
    const fix = parts.fix ? ` ${parts.fix}` : '';
    super(`${parts.what}${where}.${fix}`, { cause: parts.cause });
    this.name = 'LabError';
    this.what = parts.what;
    this.where = parts.where;
    this.fix = parts.fix;
  }
}

/** The short code of a Node/driver error (ECONNREFUSED, ER_ACCESS_DENIED_ERROR, 28P01...), if any. */
export function errorCode(error: unknown): string | undefined {
  if (error && typeof error === 'object' && 'code' in error) {
    const code = (error as { code: unknown }).code;
    if (typeof code === 'string' || typeof code === 'number') return String(code);
  }
  // AggregateError (e.g. ECONNREFUSED on both ::1 and 127.0.0.1) keeps the codes inside.
  if (error instanceof AggregateError) return errorCode(error.errors[0]);
  return undefined;
}

/** The message of any thrown value. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || errorCode(error) || error.name;
  return String(error);
}
