// Exercises: the learner's stub says it is not done yet, and a grader runs the learner's code against the real
// servers and says, check by check, what holds. How notebooks use them: docs/COURSE.md.

import { inspect } from 'node:util';
import { errorMessage } from '../errors';

/** Thrown by `todo()`: the learner has not written this part yet. */
export class ExerciseNotDone extends Error {
  constructor(readonly task: string) {
    super(`Not done yet: ${task}`);
    this.name = 'ExerciseNotDone';
  }
}

/** The body of an exercise's stub: `return todo('what to write')`. Calling it says the exercise is not done. */
export function todo(task = 'your code'): never {
  throw new ExerciseNotDone(task);
}

/** Which exercise a grader grades: its id (as in the notebook's cell metadata) and how the notebook numbers it. */
export interface Exercise {
  id: string;
  /** `2.1`: notebook 02, first exercise. */
  number: string;
}

/** The first check that did not hold. */
export interface GradeFailure {
  check: string;
  expected: string;
  seen: string;
  hint: string;
}

export type GradeStatus = 'passed' | 'failed' | 'not-done';

/**
 * What a grader found. In a notebook it is the cell's last value, and prints as the lines the learner reads:
 * one `✓` per check passed, then the failure or "not done".
 */
export class Grade {
  constructor(
    readonly exercise: Exercise,
    readonly status: GradeStatus,
    readonly passed: readonly string[],
    readonly failure?: GradeFailure,
    /** For `not-done`: what the stub says is left to write. */
    readonly task?: string,
  ) {}

  get lines(): string[] {
    const lines = this.passed.map((check) => `✓ ${check}`);
    const turn = `Your turn ${this.exercise.number}`;
    if (this.status === 'not-done') {
      lines.push(
        `○ ${turn} is not done yet: replace todo(…) in the cell above with your code, run it, then run this cell again.`,
      );
    } else if (this.failure) {
      const { check, expected, seen, hint } = this.failure;
      lines.push(`✗ ${check} · expected: ${expected} · seen: ${seen} · hint: ${hint}`);
    } else {
      lines.push(`${turn}: all ${this.passed.length} checks passed.`);
    }
    return lines;
  }

  toString(): string {
    return this.lines.join('\n');
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

/**
 * What a grade must be, from `LAB_EXERCISES`: a learner's run (unset) never fails on a grade; the headless
 * runner's `solutions` run needs every grade passed, and its `shipped` run needs every stub to say "not done".
 */
export type ExerciseMode = 'learner' | 'solutions' | 'shipped';

export function exerciseMode(env: NodeJS.ProcessEnv = process.env): ExerciseMode {
  const mode = env.LAB_EXERCISES;
  if (mode === undefined || mode === '' || mode === 'learner') return 'learner';
  if (mode === 'solutions' || mode === 'shipped') return mode;
  throw new Error(`LAB_EXERCISES must be "solutions", "shipped" or unset, not "${mode}"`);
}

/** Raised in a headless run when a grade is not what the run's mode needs (see ExerciseMode). */
export class ExerciseFailed extends Error {
  constructor(grade: Grade, mode: ExerciseMode) {
    const wanted = mode === 'solutions' ? 'the reference solution to pass' : 'the stub to report "not done"';
    super(`Your turn ${grade.exercise.number} (${grade.exercise.id}): expected ${wanted}, got:\n${grade}`);
    this.name = 'ExerciseFailed';
  }
}

/** Ends grading at the first failed check. */
class CheckNotMet extends Error {
  constructor(readonly failure: GradeFailure) {
    super(failure.check);
  }
}

/** What a grader uses to run the learner's code and state its checks. */
export interface Grading {
  /**
   * Runs the learner's code. A `todo()` ends the grade as not done; any other error is the failed check `check`,
   * with the error's message as what was seen.
   */
  attempt<T>(check: string, run: () => T | Promise<T>, hint: string): Promise<T>;
  /** A check: `✓ check` when `holds`, else the grade ends here with what was expected, seen, and a hint. */
  expect(
    holds: boolean,
    check: string,
    detail: { expected: string; seen: string | (() => string); hint: string },
  ): void;
}

/**
 * Grades one exercise: runs `steps`, then `cleanup` (whatever happened), and returns the grade. In a headless
 * run it also enforces the mode (see ExerciseMode). Errors of the grader itself (a server down) are not the
 * learner's: they are thrown as they are.
 */
export async function grade(
  exercise: Exercise,
  steps: (grading: Grading) => Promise<void>,
  cleanup: () => Promise<unknown> = async () => undefined,
): Promise<Grade> {
  const passed: string[] = [];
  const grading: Grading = {
    async attempt(check, run, hint) {
      try {
        return await run();
      } catch (error) {
        if (error instanceof ExerciseNotDone) throw error;
        const name = error instanceof Error ? error.name : 'Error';
        throw new CheckNotMet({
          check,
          expected: 'your code to run without an error',
          seen: `${name}: ${errorMessage(error)}`,
          hint,
        });
      }
    },
    expect(holds, check, detail) {
      if (holds) {
        passed.push(check);
        return;
      }
      const seen = typeof detail.seen === 'function' ? detail.seen() : detail.seen;
      throw new CheckNotMet({ check, expected: detail.expected, seen, hint: detail.hint });
    },
  };

  let result: Grade;
  try {
    await steps(grading);
    result = new Grade(exercise, 'passed', passed);
  } catch (error) {
    if (error instanceof ExerciseNotDone) result = new Grade(exercise, 'not-done', passed, undefined, error.task);
    else if (error instanceof CheckNotMet) result = new Grade(exercise, 'failed', passed, error.failure);
    else throw error;
  } finally {
    await cleanup();
  }
  const mode = exerciseMode();
  if (mode === 'solutions' && result.status !== 'passed') throw new ExerciseFailed(result, mode);
  // A stub passes no check: one that did would be checking something the learner did not write.
  if (mode === 'shipped' && (result.status !== 'not-done' || result.passed.length > 0))
    throw new ExerciseFailed(result, mode);
  return result;
}

/** Values as the learner reads them in a grade line: JSON, cut to one line. */
export function shown(value: unknown, maxChars = 80): string {
  let text: string;
  if (value === undefined) text = 'undefined';
  else if (typeof value === 'string') text = JSON.stringify(value);
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > maxChars ? `${text.slice(0, maxChars - 1)}…` : text;
}

/** True when both values are the same once written as JSON (what a cache stores and gives back). */
export function sameAsJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
