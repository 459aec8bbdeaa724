// Showing things: rich output (HTML, SVG, markdown) inside the tslab kernel, plain text everywhere else.

import { realpathSync } from 'node:fs';
import path from 'node:path';

/** The kinds of rich output the lab sends; tslab sends one MIME type per call. */
export type RichKind = 'html' | 'svg' | 'markdown';

/** The part of tslab's `display` the lab uses. */
interface KernelDisplay {
  html(s: string): void;
  svg(s: string): void;
  markdown(s: string): void;
}

/** What tells a tslab kernel apart from any other Node process. */
export interface KernelSigns {
  /** `process.argv`: `node <tslab> kernel --config-path …` when Jupyter starts the kernel. */
  argv: readonly string[];
  /** `require.main.filename`: the resolved `…/tslab/bin/tslab`, even when argv[1] is a symlink to it. */
  mainFilename?: string;
  /** tslab defines `globalThis.__tslab__` inside its kernel. */
  tslabGlobal?: boolean;
}

function currentSigns(): KernelSigns {
  return {
    argv: process.argv,
    mainFilename: require.main?.filename,
    tslabGlobal: (globalThis as { __tslab__?: unknown }).__tslab__ !== undefined,
  };
}

function isTslabScript(file: string | undefined): file is string {
  return !!file && path.basename(file) === 'tslab' && path.basename(path.dirname(file)) === 'bin';
}

/**
 * True when this process is a tslab kernel. The kernel spec may start tslab by absolute path, through
 * the `node_modules/.bin/tslab` symlink (as `tslab install` writes it) or as a global command, so the
 * resolved main script and tslab's own global count, not only argv[1]. Tests, scripts and the REPL
 * never match, so they never load tslab (and its TypeScript compiler) at all.
 */
export function inKernel(signs: KernelSigns | readonly string[] = currentSigns()): boolean {
  const s: KernelSigns = Array.isArray(signs) ? { argv: signs as readonly string[] } : (signs as KernelSigns);
  if (s.tslabGlobal) return true;
  if (!s.argv.slice(2).includes('kernel')) return false;
  return isTslabScript(s.mainFilename) || isTslabScript(s.argv[1]);
}

let kernelDisplay: KernelDisplay | null | undefined;

/**
 * tslab's display, from the very package the kernel runs (a second copy of tslab, e.g. a global
 * install next to ours, is "Not ready": only the running kernel's copy can send output). The running
 * copy is the one `require.main` came from; argv[1] (maybe a symlink) and plain `tslab` are fallbacks.
 */
function loadKernelDisplay(): KernelDisplay | null {
  if (kernelDisplay !== undefined) return kernelDisplay;
  kernelDisplay = null;
  const scripts = [require.main?.filename, process.argv[1]].filter(isTslabScript);
  const candidates = [...scripts.map((script) => path.resolve(path.dirname(realPath(script)), '..')), 'tslab'];
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

function realPath(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
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
