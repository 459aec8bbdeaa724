// A small, safe Markdown-to-HTML converter for handouts: the subset the notebooks write, all text escaped.

import { escapeHtml } from '../../src/show/format';

/**
 * Links keep only targets that stay on the page or name a web address: `javascript:` and friends
 * become plain text, and a handout never points at a file on the machine that built it.
 */
function safeHref(href: string): string | null {
  if (/^(https?:|mailto:)/i.test(href) || href.startsWith('#')) return href;
  return null;
}

/** Inline markup: code spans, links, bold, italics. Everything else is escaped text. */
export function renderInline(text: string): string {
  // Code spans first, set aside, so nothing inside them is read as markup.
  const spans: string[] = [];
  const hold = (html: string) => `\u0000${spans.push(html) - 1}\u0000`;
  let out = text.replace(/(`+)([\s\S]*?[^`])\1(?!`)/g, (_, _ticks: string, code: string) =>
    hold(`<code>${escapeHtml(code.trim() === '' ? code : code.replace(/^ (.*) $/s, '$1'))}</code>`),
  );
  out = out.replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (whole, label: string, href: string) => {
    const target = safeHref(href);
    return target ? hold(`<a href="${escapeHtml(target)}">${renderEmphasis(escapeHtml(label))}</a>`) : whole;
  });
  out = renderEmphasis(escapeHtml(out));
  return out.replace(/\u0000(\d+)\u0000/g, (_, i: string) => spans[Number(i)]!);
}

function renderEmphasis(html: string): string {
  return html
    .replace(/\*\*(?=\S)([\s\S]*?\S)\*\*/g, '<strong>$1</strong>')
    .replace(/__(?=\S)([\s\S]*?\S)__/g, '<strong>$1</strong>')
    .replace(/(^|[^*\w])\*(?=\S)([^*]*?\S)\*(?![*\w])/g, '$1<em>$2</em>')
    .replace(/(^|[^_\w])_(?=\S)([^_]*?\S)_(?![_\w])/g, '$1<em>$2</em>');
}

const BLOCK_START = /^(#{1,6}\s|```|~~~|>\s?|[-*+]\s+|\d+[.)]\s+|\|.*\|\s*$|(?:-{3,}|\*{3,}|_{3,})\s*$)/;

/** Converts Markdown (headings, paragraphs, lists, code blocks, quotes, tables, rules) to HTML. */
export function renderMarkdown(markdown: string): string {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const html: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === '') {
      i++;
      continue;
    }
    const fence = line.match(/^(```|~~~)\s*([\w+-]*)/);
    if (fence) {
      const body: string[] = [];
      i++;
      while (i < lines.length && !lines[i]!.startsWith(fence[1]!)) body.push(lines[i++]!);
      i++; // the closing fence
      const lang = fence[2] ? ` class="language-${escapeHtml(fence[2])}"` : '';
      html.push(`<pre><code${lang}>${escapeHtml(body.join('\n'))}</code></pre>`);
      continue;
    }
    const heading = line.match(/^(#{1,6})\s+(.*?)\s*#*\s*$/);
    if (heading) {
      const level = heading[1]!.length;
      html.push(`<h${level}>${renderInline(heading[2]!)}</h${level}>`);
      i++;
      continue;
    }
    if (/^(?:-{3,}|\*{3,}|_{3,})\s*$/.test(line)) {
      html.push('<hr>');
      i++;
      continue;
    }
    if (/^>\s?/.test(line)) {
      const body: string[] = [];
      while (i < lines.length && /^>\s?/.test(lines[i]!)) body.push(lines[i++]!.replace(/^>\s?/, ''));
      html.push(`<blockquote>${renderMarkdown(body.join('\n'))}</blockquote>`);
      continue;
    }
    if (/^\|.*\|\s*$/.test(line) && /^\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/.test(lines[i + 1] ?? '')) {
      const rows: string[][] = [];
      const cellsOf = (row: string) =>
        row
          .trim()
          .replace(/^\||\|$/g, '')
          .split('|')
          .map((c) => c.trim());
      const header = cellsOf(line);
      const aligns = cellsOf(lines[i + 1]!).map((c) =>
        c.endsWith(':') ? (c.startsWith(':') ? 'center' : 'right') : c.startsWith(':') ? 'left' : '',
      );
      i += 2;
      while (i < lines.length && /^\|.*\|\s*$/.test(lines[i]!)) rows.push(cellsOf(lines[i++]!));
      const cell = (tag: string, text: string, col: number) =>
        `<${tag}${aligns[col] ? ` style="text-align:${aligns[col]}"` : ''}>${renderInline(text)}</${tag}>`;
      html.push(
        `<table><thead><tr>${header.map((h, c) => cell('th', h, c)).join('')}</tr></thead><tbody>` +
          rows.map((r) => `<tr>${header.map((_, c) => cell('td', r[c] ?? '', c)).join('')}</tr>`).join('') +
          '</tbody></table>',
      );
      continue;
    }
    const item = line.match(/^(\s*)([-*+]|\d+[.)])\s+(.*)$/);
    if (item) {
      const ordered = /\d/.test(item[2]!);
      const items: string[] = [];
      while (i < lines.length) {
        const next = lines[i]!.match(/^\s*([-*+]|\d+[.)])\s+(.*)$/);
        if (next && /\d/.test(next[1]!) === ordered) {
          items.push(next[2]!);
          i++;
        } else if (lines[i]!.trim() !== '' && /^\s+/.test(lines[i]!) && items.length > 0) {
          items[items.length - 1] += ` ${lines[i++]!.trim()}`; // a continuation line of the item
        } else {
          break;
        }
      }
      const tag = ordered ? 'ol' : 'ul';
      html.push(`<${tag}>${items.map((t) => `<li>${renderInline(t)}</li>`).join('')}</${tag}>`);
      continue;
    }
    // A paragraph: lines up to a blank line or the start of another block.
    const body: string[] = [line];
    i++;
    while (i < lines.length && lines[i]!.trim() !== '' && !BLOCK_START.test(lines[i]!)) body.push(lines[i++]!);
    html.push(`<p>${renderInline(body.join('\n'))}</p>`);
  }
  return html.join('\n');
}
