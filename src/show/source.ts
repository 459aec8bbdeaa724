// The library's own source, shown in a notebook: the mechanism a lesson teaches stays in sight even where a
// helper runs it (the seat script, the lock's release, the worker's loop).

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../config';
import { LabError } from '../errors';
import { present } from './display';
import { escapeHtml } from './format';

/** A declaration's first line: a function, class, interface, type or constant named `name`, at `indent`. */
function declarationLine(line: string, name: string, indent: string): boolean {
  return new RegExp(
    `^${indent}(export )?(default )?(async )?(function\\*?|class|interface|type|const|let) ${name}\\b`,
  ).test(line);
}

/**
 * The text of the declaration `name` in `src/<file>`, with the comment above it: from its first line to the
 * line that closes it at its own indentation (`}`, `};`, `` `; ``, `);`, `];`), or its own line when it ends
 * there. A top-level declaration is found first; else one inside a function (a factory's inner step, such as a
 * worker's `handle`), shown as it is indented there. The files are formatted by Prettier, which keeps that shape.
 */
export function sourceOf(file: string, name: string, root: string = projectRoot()): string {
  const where = path.join('src', file);
  let lines: string[];
  try {
    lines = readFileSync(path.join(root, where), 'utf8').split('\n');
  } catch {
    throw new LabError({ what: `No library file ${where}`, fix: 'Name a file under src/, e.g. "patterns/lock.ts".' });
  }
  let start = lines.findIndex((line) => declarationLine(line, name, ''));
  if (start < 0) start = lines.findIndex((line) => declarationLine(line, name, '\\s+'));
  if (start < 0) throw new LabError({ what: `${where} declares nothing named ${name}`, fix: 'Check the name.' });
  const indent = /^\s*/.exec(lines[start]!)![0];
  let first = start;
  while (first > 0 && /^\s*(\/\*\*|\*|\/\/)/.test(lines[first - 1]!)) first -= 1;
  let end = start;
  const opensBlock = /[{(\[`=]\s*$/.test(lines[start]!) || !/;\s*$/.test(lines[start]!);
  if ((lines[start]!.match(/`/g) ?? []).length % 2 === 1) {
    // A template literal left open (a Lua script): it ends where the backtick closes it, whatever that line
    // starts with.
    end = lines.findIndex((line, i) => i > start && /`[;,)]*\s*$/.test(line));
    if (end < 0) end = lines.length - 1;
  } else if (opensBlock) {
    end = lines.findIndex(
      (line, i) => i > start && line.startsWith(indent) && /^[}\])`][^\s]*\s*$/.test(line.slice(indent.length)),
    );
    if (end < 0) end = lines.length - 1;
  }
  return lines
    .slice(first, end + 1)
    .map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line))
    .join('\n');
}

/** Shows `name` from the library's `src/<file>` as code, with where it lives. */
export function showSource(file: string, name: string): string | undefined {
  const code = sourceOf(file, name);
  const caption = `src/${file} · ${name}`;
  const html =
    `<figure class="lab-source" style="margin:0"><figcaption style="font-size:90%;color:#555">${escapeHtml(caption)}</figcaption>` +
    `<pre style="line-height:1.35"><code>${escapeHtml(code)}</code></pre></figure>`;
  return present('html', html, `// ${caption}\n${code}`);
}
