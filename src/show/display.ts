// Showing things: rich output (HTML, SVG, markdown) inside the tslab kernel, plain text everywhere else.

import path from 'node:path';

/** The kinds of rich output the lab sends; tslab sends one MIME type per call. */
export type RichKind = 'html' | 'svg' | 'markdown';

/** The part of tslab's `display` the lab uses. */
interface KernelDisplay {
  html(s: string): void;
  svg(s: string): void;
  markdown(s: string): void;
}

/**
 * True when this process is a tslab kernel (`node …/tslab/bin/tslab kernel …`). Decided from the
 * command line, so tests, scripts and the REPL never load tslab (and its TypeScript compiler) at all.
 */
export function inKernel(argv: readonly string[] = process.argv): boolean {
  const script = argv[1];
  if (!script || !argv.slice(2).includes('kernel')) return false;
  return path.basename(script) === 'tslab' && path.basename(path.dirname(script)) === 'bin';
}

let kernelDisplay: KernelDisplay | null | undefined;

/**
 * tslab's display, from the very package the kernel runs (a second copy of tslab, e.g. a global
 * install next to ours, is "Not ready": only the running kernel's copy can send output).
 */
function loadKernelDisplay(): KernelDisplay | null {
  if (kernelDisplay !== undefined) return kernelDisplay;
  kernelDisplay = null;
  const script = process.argv[1];
  const candidates = [...(script ? [path.resolve(path.dirname(script), '..')] : []), 'tslab'];
  for (const candidate of candidates) {
    try {
      const tslab = require(candidate) as { display?: KernelDisplay };
      if (tslab.display) return (kernelDisplay = tslab.display);
    } catch {
      // try the next place; with none, output falls back to text
    }
  }
  return kernelDisplay;
}

/** Sends rich output to the notebook; false when there is no kernel to send it to. */
export function displayRich(kind: RichKind, content: string): boolean {
  if (!inKernel()) return false;
  const display = loadKernelDisplay();
  if (!display) return false;
  try {
    display[kind](content);
    return true;
  } catch {
    return false; // "Not ready": the kernel is not executing a cell (e.g. a callback after it ended)
  }
}

/**
 * Shows `content` as rich output in a notebook. Anywhere else, and if the notebook cannot take it,
 * prints `text` instead. Returns `text` outside a kernel, so callers (and tests) can use what was
 * shown; returns undefined inside one, so a cell ending in a show call prints nothing twice.
 */
export function present(kind: RichKind, content: string, text: string): string | undefined {
  if (displayRich(kind, content)) return undefined;
  console.log(text);
  return inKernel() ? undefined : text;
}

/** Shows markdown (a heading, a computed sentence) in a notebook, or prints it as it is. */
export function showMarkdown(markdown: string): string | undefined {
  return present('markdown', markdown, markdown);
}
