// What in a piece of HTML could run, fetch or restyle a page: the handout tests' judge of sanitized markup.

import { DomUtils, parseDocument } from 'htmlparser2';

/**
 * Everything in `html` that could run, fetch or restyle the page, as a browser would read it: script-like
 * elements, `on…` handlers, `javascript:`/`data:`/`file:` or outside references, CSS that fetches or floats.
 */
export function hazards(html: string): string[] {
  const found: string[] = [];
  const elements = DomUtils.findAll(() => true, parseDocument(html).children);
  for (const el of elements) {
    const tag = el.name.toLowerCase();
    if (
      /^(script|style|iframe|frame|object|embed|link|meta|base|form|input|button|foreignobject|animate|set|math|image|img|noscript|template)$/.test(
        tag,
      )
    ) {
      found.push(`<${tag}>`);
    }
    for (const [name, value] of Object.entries(el.attribs)) {
      const v = value.replace(/[\s\u0000-\u001f]/g, '').toLowerCase();
      if (name.toLowerCase().startsWith('on')) found.push(`${tag}[${name}]`);
      if (/(javascript|vbscript|data|file):/.test(v)) found.push(`${tag}[${name}=${value}]`);
      if (/^(src|srcset|action|formaction|poster|background)$/i.test(name)) found.push(`${tag}[${name}]`);
      if (/href$/i.test(name) && !v.startsWith('#') && !(tag === 'a' && /^(https?|mailto):/.test(v))) {
        found.push(`${tag}[${name}=${value}]`);
      }
      if (/url\((?!#)|expression|@import|position|z-index|behavior/.test(v)) found.push(`${tag}[${name}=${value}]`);
    }
  }
  return found;
}
