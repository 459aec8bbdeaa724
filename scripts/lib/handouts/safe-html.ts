// What a handout may contain: Markdown rendered by markdown-it, and every piece of HTML or SVG that is not
// the page's own (outputs, rendered Markdown) passed through sanitize-html, configured to what notebooks show.

import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';
import { escapeHtml } from '../../../src/show/format';

// ---- Markdown ---------------------------------------------------------------------------------------

/** Links a handout keeps: web addresses and places on the page. Anything else stays text. */
const LINK_TARGET = /^(https?:|mailto:|#)/i;

/**
 * Raw HTML in Markdown stays text (notebooks write `<id>` meaning a placeholder), images are not
 * loaded (a handout fetches nothing), and a link to anything but the web or the page itself (a file on
 * the machine that made the handout, `javascript:`) is shown as the text it was written as.
 */
const markdown = new MarkdownIt({ html: false, linkify: false, typographer: false });
markdown.validateLink = (url) => LINK_TARGET.test(url.trim());
markdown.renderer.rules.image = (tokens, i) => escapeHtml(`[image: ${tokens[i]!.content}]`);
// Tables written in Markdown can be as wide as any output: they scroll in a box of their own.
markdown.renderer.rules.table_open = () => '<div class="table-box"><table>\n';
markdown.renderer.rules.table_close = () => '</table></div>\n';

/** A Markdown cell or output as safe HTML. */
export function renderMarkdown(source: string): string {
  return safeHtml(markdown.render(source));
}

/** Markdown as markdown-it's tokens, for reading structure (a table's rows) rather than showing it. */
export function markdownTokens(source: string): ReturnType<typeof markdown.parse> {
  return markdown.parse(source, {});
}

/** One line of Markdown (no paragraph around it) as safe HTML. */
export function renderInline(source: string): string {
  return safeHtml(markdown.renderInline(source));
}

// ---- HTML and SVG -----------------------------------------------------------------------------------

const TEXT_TAGS = [
  ...['p', 'div', 'span', 'pre', 'code', 'br', 'wbr', 'hr', 'blockquote', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6'],
  ...['strong', 'b', 'em', 'i', 'u', 's', 'sub', 'sup', 'small', 'kbd', 'samp', 'var', 'mark', 'a'],
  ...['ul', 'ol', 'li', 'dl', 'dt', 'dd', 'figure', 'figcaption'],
];
const TABLE_TAGS = ['table', 'caption', 'colgroup', 'col', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td'];

/**
 * What vega's SVG renderer writes (groups, paths, rects, lines, text, clipping and gradients), and `use`
 * for symbols other SVG tools repeat. The HTML parser lower-cases names (htmlparser2, as a browser does):
 * a browser reading `clippath` inside `<svg>` restores `clipPath`, so the lower-case names are the ones
 * listed here.
 */
const SVG_TAGS = [
  ...['svg', 'g', 'path', 'rect', 'line', 'circle', 'ellipse', 'polygon', 'polyline', 'text', 'tspan'],
  ...['defs', 'clippath', 'lineargradient', 'radialgradient', 'stop', 'pattern', 'use'],
];

const SVG_ATTRIBUTES = [
  ...['xmlns', 'xmlns:xlink', 'version', 'viewbox', 'preserveaspectratio', 'width', 'height', 'transform'],
  ...['x', 'y', 'x1', 'x2', 'y1', 'y2', 'dx', 'dy', 'cx', 'cy', 'r', 'rx', 'ry', 'fx', 'fy', 'fr', 'd', 'points'],
  ...['fill', 'fill-opacity', 'fill-rule', 'stroke', 'stroke-width', 'stroke-opacity', 'stroke-linecap'],
  ...['stroke-linejoin', 'stroke-dasharray', 'stroke-dashoffset', 'stroke-miterlimit', 'opacity', 'display'],
  ...['font-family', 'font-size', 'font-weight', 'font-style', 'text-anchor', 'dominant-baseline'],
  ...['clip-path', 'offset', 'stop-color', 'stop-opacity', 'patternunits', 'pointer-events'],
  ...['href', 'xlink:href', 'role', 'aria-label', 'aria-roledescription', 'aria-hidden'],
];

const LENGTHS = /^(?:-?\d*\.?\d+(?:px|em|rem|pt|%)?\s*){1,4}$/;
const COLOUR = [/^#[0-9a-f]{3,8}$/i, /^rgba?\(\s*[\d.\s,%]+\)$/i, /^[a-z]+$/i];

/**
 * Inline styles the lab's tables and plans use (spacing, alignment, colour, weight), and nothing that
 * can fetch (`url()`), run (`expression()`) or lay itself over the page (`position`, `z-index`).
 */
const ALLOWED_STYLES: Record<string, RegExp[]> = {
  padding: [LENGTHS],
  'padding-top': [LENGTHS],
  'padding-bottom': [LENGTHS],
  'padding-left': [LENGTHS],
  'padding-right': [LENGTHS],
  margin: [LENGTHS],
  'text-align': [/^(left|right|center|justify)$/],
  'vertical-align': [/^(top|middle|bottom|baseline)$/],
  'caption-side': [/^(top|bottom)$/],
  'border-collapse': [/^(collapse|separate)$/],
  'white-space': [/^(normal|nowrap|pre|pre-wrap|pre-line)$/],
  color: COLOUR,
  'background-color': COLOUR,
  'font-weight': [/^(normal|bold|bolder|lighter|\d00)$/],
  'font-style': [/^(normal|italic)$/],
  'font-size': [/^\d*\.?\d+(px|em|rem|pt|%)$/],
  'line-height': [/^\d*\.?\d+(px|em|rem|%)?$/],
};

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [...TEXT_TAGS, ...TABLE_TAGS, ...SVG_TAGS],
  allowedAttributes: {
    '*': ['style', 'class', 'title', 'id'],
    a: ['href'],
    th: ['colspan', 'rowspan', 'scope'],
    td: ['colspan', 'rowspan'],
    col: ['span'],
    colgroup: ['span'],
    ol: ['start'],
    ...Object.fromEntries(SVG_TAGS.map((tag) => [tag, SVG_ATTRIBUTES])),
  },
  // Classes the lab's own markup, vega's charts and the Markdown tables use; a class of the page's (a
  // FAILED banner, an exercise box) cannot be borrowed by an output.
  allowedClasses: {
    '*': ['lab-*', 'mark-*', 'role-*', 'language-*', 'marks', 'background', 'foreground', 'table-box'],
  },
  allowedStyles: { '*': ALLOWED_STYLES },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: {},
  allowProtocolRelative: false,
  // Dropped with everything inside them, not only their tags: their text is code or a document.
  nonTextTags: [
    ...['script', 'style', 'textarea', 'option', 'noscript', 'template', 'iframe', 'object', 'embed'],
    ...['noembed', 'noframes', 'xmp', 'plaintext', 'title', 'head', 'math', 'foreignobject', 'annotation-xml'],
  ],
  disallowedTagsMode: 'discard',
  // A long key or path in a table cell may break after its separators when a printed page needs it to.
  textFilter: (text, tag) =>
    (tag === 'td' || tag === 'th') && text.length > 20 ? text.replace(/([:/_,=|])(?=\S)/g, '$1<wbr>') : text,
};

let outputs = 0;

/**
 * Markup as a handout may show it. Beyond the allow-lists: a reference (`href`, `url(...)` in an
 * attribute) survives only when it points into the markup itself (`#id`) or, for a link, at the web;
 * and ids get a prefix of their own, so two charts on one page never borrow each other's clip paths.
 */
export function safeHtml(markup: string): string {
  const prefix = `o${++outputs}-`;
  return sanitizeHtml(markup, {
    ...OPTIONS,
    transformTags: { '*': (tagName, attribs) => ({ tagName, attribs: containReferences(tagName, attribs, prefix) }) },
  });
}

const FRAGMENT = /^#([\w.:-]+)$/;
const FRAGMENT_URL = /url\(\s*(['"]?)#([\w.:-]+)\1\s*\)/g;

function containReferences(tag: string, attribs: sanitizeHtml.Attributes, prefix: string): sanitizeHtml.Attributes {
  const kept: sanitizeHtml.Attributes = {};
  for (const [name, value] of Object.entries(attribs)) {
    if (name === 'id') {
      kept[name] = prefix + value;
    } else if (name === 'href' || name === 'xlink:href') {
      const fragment = value.match(FRAGMENT);
      if (fragment) kept[name] = `#${prefix}${fragment[1]}`;
      else if (tag === 'a' && /^(https?:|mailto:)/i.test(value)) kept[name] = value;
    } else if (/url\s*\(/i.test(value)) {
      // Every url() must be a fragment (a clip path, a gradient): then it is re-pointed at the prefixed id.
      const rest = value.replace(FRAGMENT_URL, '');
      if (!/url\s*\(/i.test(rest))
        kept[name] = value.replace(FRAGMENT_URL, (_, _q, id: string) => `url(#${prefix}${id})`);
    } else {
      kept[name] = value;
    }
  }
  return kept;
}
