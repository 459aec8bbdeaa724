// What a handout may contain: Markdown through markdown-it, every other piece of markup through
// sanitize-html, checked against what the notebooks show and against the attacks the libraries test for.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DomUtils, parseDocument } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/config';
import { renderInline, renderMarkdown, safeHtml } from '../../scripts/lib/handouts/safe-html';
import { hazards } from '../support/hazards';

const root = projectRoot();

describe('Markdown in handouts (markdown-it)', () => {
  it('renders the markup the notebooks write', () => {
    const html = renderMarkdown(
      '# 01 · Title\n\nSome **bold**, *italic* and `code`.\nA second line.\n\n- one\n- two `x`\n\n1. first\n2. second\n\n' +
        '```sql\nSELECT 1;\n```\n\n| a | b |\n|---|--:|\n| 1 | 2 |\n\n> **Where the guide differs:** a box.',
    );
    expect(html).toContain('<h1>01 · Title</h1>');
    expect(html).toContain('<p>Some <strong>bold</strong>, <em>italic</em> and <code>code</code>.\nA second line.</p>');
    expect(html).toMatch(/<ul>\s*<li>one<\/li>\s*<li>two <code>x<\/code><\/li>\s*<\/ul>/);
    expect(html).toMatch(/<ol>\s*<li>first<\/li>\s*<li>second<\/li>\s*<\/ol>/);
    expect(html).toContain('<pre><code class="language-sql">SELECT 1;\n</code></pre>');
    expect(html).toContain('<th style="text-align:right">b</th>');
    expect(html).toContain('<div class="table-box"><table>'); // a wide Markdown table scrolls in its own box
    expect(html).toMatch(/<blockquote>\s*<p><strong>Where the guide differs:<\/strong> a box.<\/p>/);
  });

  it('escapes HTML, keeps markup inside code spans literal, and drops links that are not web addresses', () => {
    expect(renderInline('<script>alert(1)</script> `a **b** <i>`')).toBe(
      '&lt;script&gt;alert(1)&lt;/script&gt; <code>a **b** &lt;i&gt;</code>',
    );
    expect(renderInline('[ok](https://valkey.io) [bad](javascript:alert(1)) [file](file:///etc/passwd)')).toBe(
      '<a href="https://valkey.io">ok</a> [bad](javascript:alert(1)) [file](file:///etc/passwd)',
    );
  });

  it('loads no image: a picture is named, not fetched', () => {
    const html = renderMarkdown('![the hub routes](https://example.com/hubs.png)');
    expect(html).toBe('<p>[image: the hub routes]</p>\n');
  });

  it('shows raw HTML in a Markdown cell as the text it is', () => {
    const html = renderMarkdown('the key is `session:<id>`, or session:<id> <img src=x onerror=alert(1)>');
    expect(html).toContain('<code>session:&lt;id&gt;</code>');
    expect(html).toContain('session:&lt;id&gt; &lt;img src=x onerror=alert(1)&gt;');
    expect(hazards(html)).toEqual([]);
  });
});

describe('what a handout may contain (sanitize-html)', () => {
  it('strips scripts, handlers, stylesheets and every outside reference from output markup', () => {
    const dirty =
      '<div onclick="x()"><script src="https://cdn.example/a.js"></script><link rel="stylesheet" href="file:///usr/share/javascript/x.css">' +
      '<img src="http://example.com/a.png"><svg><use xlink:href="#m"/><image href="https://example.com/i.png"/>' +
      '<rect style="fill:url(https://example.com/p)" width="1"/></svg><iframe src="https://x"></iframe></div>';
    const clean = safeHtml(dirty);
    expect(clean).not.toMatch(/script|onclick|<link|<iframe|<img|<image|https?:|file:/);
    expect(clean).toMatch(/<use xlink:href="#o\d+-m"><\/use>/); // a reference into the markup itself stays
    expect(clean).toContain('<rect width="1"></rect>');
  });

  // Attacks from the lists sanitize-html and DOMPurify test themselves against, aimed at what a handout
  // shows: HTML from outputs, SVG charts, and the page around them.
  const attacks: Array<[string, string]> = [
    ['script in SVG', '<svg><script>alert(1)</script><g><script href="data:,alert(1)"/></g></svg>'],
    ['SVG load handler', '<svg onload="alert(1)"><rect width="5" height="5"/></svg>'],
    ['javascript: link', '<a href="javascript:alert(1)">x</a>'],
    ['javascript: link in SVG', '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>'],
    [
      'entity-encoded scheme',
      '<a href="&#106;&#97;vascript&#58;alert(1)">x</a><a href="jav&#x09;ascript:alert(1)">y</a>',
    ],
    ['scheme with spaces and case', '<a href=" JaVaScRiPt:alert(1)">x</a><a href="vbscript:msgbox(1)">y</a>'],
    ['data: link', '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>'],
    [
      'event attributes',
      '<div onmouseover="alert(1)" onclick=alert(1) ONERROR="alert(1)">x</div><td onfocus=alert(1)>',
    ],
    ['image with a handler', '<img src=x onerror=alert(1)><image href=x onerror=alert(1)>'],
    [
      '<style> escaping the page',
      '<style>body{display:none}</style><p>x</p><style>@import url(https://x/y.css)</style>',
    ],
    ['<style> inside SVG', '<svg><style>@import url(https://x/s.css); *{fill:url(https://x/f#p)}</style></svg>'],
    [
      'inline style that floats or fetches',
      '<div style="position:fixed;top:0;left:0;z-index:99;background:url(https://x/bg.png)">x</div>',
    ],
    ['CSS expression', '<p style="width: expression(alert(1)); color: red">x</p>'],
    [
      'presentation attribute fetching',
      '<svg><rect fill="url(https://x/p.svg#g)" clip-path="url(https://x#c)"/></svg>',
    ],
    ['external use', '<svg><use href="https://x/sprite.svg#icon"/><use xlink:href="file:///etc/passwd#x"/></svg>'],
    [
      'foreignObject',
      '<svg><foreignObject><iframe src="javascript:alert(1)"></iframe><body onload=alert(1)></foreignObject></svg>',
    ],
    [
      'SVG animation setting a link',
      '<svg><a><animate attributeName="href" values="javascript:alert(1)"/><text>x</text></a><set attributeName="onclick" to="alert(1)"/></svg>',
    ],
    [
      'frames and objects',
      '<iframe srcdoc="<script>alert(1)</script>"></iframe><object data="x.swf"></object><embed src="x">',
    ],
    [
      'meta refresh and base',
      '<meta http-equiv="refresh" content="0;url=javascript:alert(1)"><base href="https://x/">',
    ],
    ['forms', '<form action="https://x"><input name=a><button formaction="javascript:alert(1)">go</button></form>'],
    [
      'mXSS through math and style',
      '<math><mi><mglyph><style><img src=x onerror=alert(1)></style></mglyph></mi></math>',
    ],
    ['mXSS through noscript', '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>'],
    ['mXSS through svg and style', '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>"></svg>'],
    [
      'template and comment tricks',
      '<template><script>alert(1)</script></template><!--<img src=x onerror=alert(1)>-->',
    ],
    ['unclosed tags', '<svg><script>alert(1)<a href="javascript:alert(2)">'],
  ];

  it.each(attacks)('%s: nothing left that runs, fetches or restyles the page', (_, dirty) => {
    const clean = safeHtml(dirty);
    expect(hazards(clean), clean).toEqual([]);
    expect(clean, clean).not.toMatch(/<script|<style|javascript:|on[a-z]+\s*=/i);
  });

  it('sees through what it is checked by: the hazard scan flags every attack before sanitizing', () => {
    for (const [name, dirty] of attacks) expect(hazards(dirty), name).not.toEqual([]);
  });

  it("keeps the page's own classes out of an output, so it cannot fake a FAILED banner or an exercise", () => {
    expect(safeHtml('<div class="banner failed lab-table">x</div><section class="exercise">y</section>')).toBe(
      '<div class="lab-table">x</div>y',
    );
  });
});

describe("what a handout keeps of the lab's outputs", () => {
  const fixture = JSON.parse(
    readFileSync(
      path.join(root, 'test', 'fixtures', 'handouts', 'mysql', '02-valkey-basics-cache-aside.ipynb'),
      'utf8',
    ),
  );
  const outputs = fixture.cells.flatMap((c: { outputs?: object[] }) => c.outputs ?? []) as Array<{
    data?: Record<string, string | string[]>;
  }>;
  const join = (s: string | string[] | undefined) => (Array.isArray(s) ? s.join('') : (s ?? ''));
  const count = (html: string, selector: string) =>
    DomUtils.findAll((e) => selector.split(',').includes(e.name), parseDocument(html).children).length;

  it("keeps every mark of a vega chart, its size and its view box (the browser restores the SVG names' case)", () => {
    const svg = join(outputs.find((o) => o.data?.['image/svg+xml'])!.data!['image/svg+xml']);
    const clean = safeHtml(svg);
    for (const marks of ['path', 'rect', 'line', 'text', 'g'])
      expect(count(clean, marks), marks).toBe(count(svg, marks));
    expect(clean).toMatch(
      /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[^>]* width="\d+" height="\d+" viewbox="0 0 \d+ \d+">/,
    );
    expect(hazards(clean)).toEqual([]);
  });

  it("keeps the lab's tables and plans as they are styled: classes, spacing, alignment, NULL in grey", () => {
    const table = join(outputs.find((o) => join(o.data?.['text/html']).includes('<table'))!.data!['text/html']);
    const clean = safeHtml(table);
    expect(clean).toContain('<div class="lab-table">');
    expect(clean).toContain('<table style="border-collapse:collapse">');
    expect(clean).toContain('<th style="padding:2px 8px;text-align:left">');
    expect(count(clean, 'td')).toBe(count(table, 'td'));
    const plan =
      '<pre class="lab-plan" style="line-height:1.4"><span style="color:#b42318;font-weight:bold">Seq Scan</span></pre>';
    expect(safeHtml(plan)).toBe(plan);
    const nullCell =
      '<td style="padding:2px 8px;text-align:left"><span style="color:#888;font-style:italic">NULL</span></td>';
    expect(safeHtml(`<table><tbody><tr>${nullCell}</tr></tbody></table>`)).toContain(nullCell);
  });

  it("gives each output's ids a prefix of its own, and its references follow, so two charts never share a clip path", () => {
    const chart =
      '<svg><defs><clipPath id="clip1"><rect width="5"/></clipPath></defs><g clip-path="url(#clip1)"></g></svg>';
    const [a, b] = [safeHtml(chart), safeHtml(chart)];
    const id = (html: string) => html.match(/<clippath id="([^"]+)"/)![1]!;
    expect(id(a)).not.toBe(id(b));
    expect(a).toContain(`clip-path="url(#${id(a)})"`);
  });

  it('lets a long key in a table cell break after its separators on paper', () => {
    expect(safeHtml('<table><tr><td>airport:mysql:country:Germany</td><td>a:b</td></tr></table>')).toContain(
      '<td>airport:<wbr>mysql:<wbr>country:<wbr>Germany</td><td>a:b</td>',
    );
  });
});
