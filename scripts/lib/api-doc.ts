// docs/API.md from the public entry (src/index.ts): its groups, each name's kind and parameters, and the first
// paragraph of the doc comment on its declaration. Syntax only (no type checker), so it is fast and its output
// depends on the source text alone.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** One exported name of the entry, as docs/API.md lists it. */
export interface ApiName {
  name: string;
  kind: 'function' | 'class' | 'value' | 'type';
  /** `name(a, b?)` for functions, `new Name(a)` for classes, the bare name otherwise. */
  usage: string;
  /** The first paragraph of the declaration's doc comment; empty when it has none. */
  doc: string;
  /** Where the declaration is, relative to the project root. */
  file: string;
}

/** A group of the entry: a `// ## Title` comment, the lines under it, and the exports that follow. */
export interface ApiGroup {
  title: string;
  about: string;
  names: ApiName[];
}

const sources = new Map<string, ts.SourceFile>();

function sourceFile(file: string): ts.SourceFile {
  let source = sources.get(file);
  if (!source) {
    source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
    sources.set(file, source);
  }
  return source;
}

function resolveModule(from: string, specifier: string): string {
  const base = path.resolve(path.dirname(from), specifier);
  for (const candidate of [`${base}.ts`, path.join(base, 'index.ts')]) if (existsSync(candidate)) return candidate;
  throw new Error(`Cannot resolve ${specifier} from ${from}`);
}

function moduleOf(node: ts.ExportDeclaration | ts.ImportDeclaration): string | undefined {
  return node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier) ? node.moduleSpecifier.text : undefined;
}

function hasExport(node: ts.Node): boolean {
  return ts.canHaveModifiers(node) && !!ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}

type Declaration =
  | ts.FunctionDeclaration
  | ts.ClassDeclaration
  | ts.VariableDeclaration
  | ts.InterfaceDeclaration
  | ts.TypeAliasDeclaration
  | ts.EnumDeclaration;

function localDeclaration(source: ts.SourceFile, name: string): Declaration | undefined {
  for (const statement of source.statements) {
    if (
      (ts.isFunctionDeclaration(statement) ||
        ts.isClassDeclaration(statement) ||
        ts.isInterfaceDeclaration(statement) ||
        ts.isTypeAliasDeclaration(statement) ||
        ts.isEnumDeclaration(statement)) &&
      statement.name?.text === name
    ) {
      // An overloaded function: the first signature carries the doc comment.
      return statement;
    }
    if (ts.isVariableStatement(statement)) {
      const found = statement.declarationList.declarations.find((d) => ts.isIdentifier(d.name) && d.name.text === name);
      if (found) return found;
    }
  }
  return undefined;
}

/** The declaration `name` refers to when `file` exports it, following re-exports and imports. */
type Found = { decl: Declaration; file: string } | { external: string; name: string; file: string };

function findDeclaration(file: string, name: string, seen = new Set<string>()): Found | undefined {
  const key = `${file}#${name}`;
  if (seen.has(key)) return undefined;
  seen.add(key);
  const source = sourceFile(file);
  const local = localDeclaration(source, name);
  if (local) {
    const statement = ts.isVariableDeclaration(local) ? local.parent.parent : local;
    if (hasExport(statement) || isExportedLocally(source, name)) return { decl: local, file };
  }
  for (const statement of source.statements) {
    if (!ts.isExportDeclaration(statement)) continue;
    const specifier = moduleOf(statement);
    const clause = statement.exportClause;
    if (clause && ts.isNamedExports(clause)) {
      const element = clause.elements.find((e) => e.name.text === name);
      if (!element) continue;
      const original = (element.propertyName ?? element.name).text;
      if (specifier) return findDeclaration(resolveModule(file, specifier), original, seen);
      if (local) return { decl: local, file };
      const imported = importedFrom(source, original);
      if (imported && !imported.specifier.startsWith('.'))
        return { external: imported.specifier, name: imported.name, file };
      if (imported) return findDeclaration(resolveModule(file, imported.specifier), imported.name, seen);
    } else if (!clause && specifier) {
      const found = findDeclaration(resolveModule(file, specifier), name, seen);
      if (found) return found;
    }
  }
  return undefined;
}

function isExportedLocally(source: ts.SourceFile, name: string): boolean {
  return source.statements.some(
    (s) =>
      ts.isExportDeclaration(s) &&
      !s.moduleSpecifier &&
      s.exportClause &&
      ts.isNamedExports(s.exportClause) &&
      s.exportClause.elements.some((e) => (e.propertyName ?? e.name).text === name),
  );
}

function importedFrom(source: ts.SourceFile, name: string): { specifier: string; name: string } | undefined {
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement)) continue;
    const bindings = statement.importClause?.namedBindings;
    const specifier = moduleOf(statement);
    if (!specifier) continue;
    if (statement.importClause?.name?.text === name) return { specifier, name: 'default' };
    if (!bindings || !ts.isNamedImports(bindings)) continue;
    const element = bindings.elements.find((e) => e.name.text === name);
    if (element) return { specifier, name: (element.propertyName ?? element.name).text };
  }
  return undefined;
}

/** A guide query (`guideQuery({ guideStep, description, … })`) documents itself: its step and description. */
function guideQueryDoc(decl: Declaration): string {
  if (!ts.isVariableDeclaration(decl) || !decl.initializer || !ts.isCallExpression(decl.initializer)) return '';
  const call = decl.initializer;
  const [options] = call.arguments;
  if (call.expression.getText() !== 'guideQuery' || !options || !ts.isObjectLiteralExpression(options)) return '';
  const text = (key: string): string => {
    const property = options.properties.find(
      (p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && p.name.getText() === key,
    );
    return property && ts.isStringLiteralLike(property.initializer) ? property.initializer.text : '';
  };
  return [text('guideStep'), text('description')].filter(Boolean).join(': ');
}

function docOf(decl: Declaration): string {
  const docs = ts.getJSDocCommentsAndTags(decl).filter(ts.isJSDoc);
  const text = docs
    .map((d) => ts.getTextOfJSDocComment(d.comment) ?? '')
    .filter(Boolean)
    .pop();
  if (!text) return guideQueryDoc(decl);
  return text
    .split(/\n\s*\n/)[0]!
    .replace(/\s+/g, ' ')
    .trim();
}

function parameterText(parameter: ts.ParameterDeclaration): string {
  const optional = parameter.questionToken || parameter.initializer ? '?' : '';
  const rest = parameter.dotDotDotToken ? '...' : '';
  if (ts.isIdentifier(parameter.name)) return `${rest}${parameter.name.text}${optional}`;
  if (ts.isObjectBindingPattern(parameter.name)) {
    const names = parameter.name.elements.map((e) => (e.propertyName ?? e.name).getText());
    return `{ ${names.join(', ')} }${optional}`;
  }
  return `[…]${optional}`;
}

function parametersOf(node: ts.SignatureDeclarationBase): string {
  return node.parameters
    .filter((p) => !(ts.isIdentifier(p.name) && p.name.text === 'this'))
    .map(parameterText)
    .join(', ');
}

function functionOf(decl: ts.VariableDeclaration): ts.SignatureDeclarationBase | undefined {
  let init = decl.initializer;
  while (init && (ts.isAsExpression(init) || ts.isSatisfiesExpression(init) || ts.isParenthesizedExpression(init)))
    init = init.expression;
  return init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) ? init : undefined;
}

function describe(name: string, isType: boolean, found: Found): ApiName {
  const where = path.relative(projectDir, found.file).split(path.sep).join('/');
  if ('external' in found) {
    const doc = `${found.external}'s \`${found.name}\`.`;
    return { name, kind: isType ? 'type' : 'value', usage: name, doc, file: where };
  }
  const decl = found.decl;
  const doc = docOf(decl);
  if (isType || ts.isInterfaceDeclaration(decl) || ts.isTypeAliasDeclaration(decl))
    return { name, kind: 'type', usage: name, doc, file: where };
  if (ts.isFunctionDeclaration(decl))
    return { name, kind: 'function', usage: `${name}(${parametersOf(decl)})`, doc, file: where };
  if (ts.isClassDeclaration(decl)) {
    const constructor = decl.members.find(ts.isConstructorDeclaration);
    return {
      name,
      kind: 'class',
      usage: `new ${name}(${constructor ? parametersOf(constructor) : ''})`,
      doc,
      file: where,
    };
  }
  if (ts.isVariableDeclaration(decl)) {
    const fn = functionOf(decl);
    if (fn) return { name, kind: 'function', usage: `${name}(${parametersOf(fn)})`, doc, file: where };
  }
  return { name, kind: 'value', usage: name, doc, file: where };
}

const projectDir = path.resolve(__dirname, '..', '..');

/** The public entry's groups and names, in the entry's order. */
export function readEntry(entry = path.join(projectDir, 'src', 'index.ts')): ApiGroup[] {
  sources.clear();
  const source = sourceFile(entry);
  const groups: ApiGroup[] = [];
  const text = source.getFullText();
  for (const statement of source.statements) {
    if (!ts.isExportDeclaration(statement)) continue;
    const comments = ts.getLeadingCommentRanges(text, statement.getFullStart()) ?? [];
    const lines = comments
      .filter((c) => c.kind === ts.SyntaxKind.SingleLineCommentTrivia)
      .map((c) => text.slice(c.pos + 2, c.end).trim());
    const heading = lines.findIndex((l) => l.startsWith('## '));
    if (heading >= 0) {
      groups.push({
        title: lines[heading]!.slice(3).trim(),
        about: lines
          .slice(heading + 1)
          .join(' ')
          .trim(),
        names: [],
      });
    }
    if (!groups.length) groups.push({ title: '', about: '', names: [] });
    const group = groups.at(-1)!;
    const specifier = moduleOf(statement);
    const clause = statement.exportClause;
    if (!specifier || !clause || !ts.isNamedExports(clause))
      throw new Error(`${entry}: only \`export { … } from '…'\` is allowed in the public entry`);
    const file = resolveModule(entry, specifier);
    for (const element of clause.elements) {
      const original = (element.propertyName ?? element.name).text;
      const found = findDeclaration(file, original);
      if (!found) throw new Error(`${entry}: cannot find the declaration of ${original} from ${specifier}`);
      group.names.push(describe(element.name.text, statement.isTypeOnly || element.isTypeOnly, found));
    }
  }
  return groups;
}

/** How many names the entry exports: values (functions, classes, constants) and types. */
export function countNames(groups: ApiGroup[]): { values: number; types: number } {
  const names = groups.flatMap((g) => g.names);
  return {
    values: names.filter((n) => n.kind !== 'type').length,
    types: names.filter((n) => n.kind === 'type').length,
  };
}

const INTRO = `# The helper library: what notebooks import

Generated from \`src/index.ts\` and the doc comments of what it exports: run \`npm run api\` after changing
either (a test fails while this file disagrees with them).

Notebooks import everything from \`valkey-lab\` (the library in \`src/\`, built into \`dist/\` by \`npm run build\`):

\`\`\`ts
import { openLab, showQuery, airportsByCountry, check } from 'valkey-lab';
const lab = await openLab();
const { rows } = await showQuery(lab.sql, airportsByCountry, { isoA3: 'DEU' });
check(rows.length === 10, 'ten German airports come back');
\`\`\`

Set-up internals (servers the lab manages, provisioning, the engine registry and classes, bulk loading) are not
here: scripts and tests import them from \`src/internal.ts\` (\`valkey-lab/internal\` in \`dist/\`).`;

/** docs/API.md as the entry says it should read. */
export function renderApiDoc(groups = readEntry()): string {
  const { values, types } = countNames(groups);
  const out = [INTRO, '', `${values} values and ${types} types, in ${groups.length} groups.`];
  for (const group of groups) {
    out.push('', `## ${group.title}`, '');
    if (group.about) out.push(group.about, '');
    for (const name of group.names.filter((n) => n.kind !== 'type'))
      out.push(`- \`${name.usage}\`${name.doc ? ` — ${name.doc}` : ''}`);
    const typeNames = group.names.filter((n) => n.kind === 'type');
    if (typeNames.length) out.push(`- Types: ${typeNames.map((n) => `\`${n.name}\``).join(', ')}.`);
  }
  return `${out.join('\n')}\n`;
}

const IMPORT = /import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*['"]([^'"]+)['"]/g;

/** The names an `import { … } from '<module>'` statement in `text` brings in, for modules matching `from`. */
export function importedNames(text: string, from: RegExp): string[] {
  const names: string[] = [];
  for (const match of text.matchAll(IMPORT)) {
    if (!from.test(match[2]!)) continue;
    for (const part of match[1]!.split(',')) {
      const name = part
        .trim()
        .replace(/^type\s+/, '')
        .split(/\s+as\s+/)[0]!
        .trim();
      if (name) names.push(name);
    }
  }
  return names;
}

function filesUnder(dir: string, ends: RegExp): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => ends.test(name))
    .sort()
    .map((name) => path.join(dir, name));
}

function codeOfNotebook(file: string): string {
  const notebook = JSON.parse(readFileSync(file, 'utf8')) as {
    cells: Array<{ cell_type: string; source: string | string[] }>;
  };
  return notebook.cells
    .filter((c) => c.cell_type === 'code')
    .map((c) => (Array.isArray(c.source) ? c.source.join('') : c.source))
    .join('\n');
}

/**
 * Who uses the library's names, by name: notebooks (and the test fixtures') by what they import from
 * `valkey-lab`; reference solutions by the names their code mentions (a solution's cell runs with the notebook's
 * imports in scope); tests by what they import from the public entry.
 */
export function libraryUsage(root = projectDir): Map<string, string[]> {
  const users = new Map<string, string[]>();
  const add = (name: string, file: string): void => {
    const where = path.relative(root, file).split(path.sep).join('/');
    users.set(name, [...(users.get(name) ?? []), where]);
  };
  const notebooks = [
    ...filesUnder(path.join(root, 'notebooks'), /\.ipynb$/),
    ...filesUnder(path.join(root, 'test'), /\.ipynb$/),
  ];
  for (const file of notebooks) for (const name of importedNames(codeOfNotebook(file), /^valkey-lab$/)) add(name, file);
  for (const file of filesUnder(path.join(root, 'notebooks', 'solutions'), /\.md$/)) {
    const code = [...readFileSync(file, 'utf8').matchAll(/^```(?:ts|typescript)\n([\s\S]*?)^```/gm)]
      .map((m) => m[1])
      .join('\n');
    for (const name of new Set(code.match(/[A-Za-z_$][\w$]*/g) ?? [])) add(name, file);
  }
  for (const file of filesUnder(path.join(root, 'test'), /\.ts$/))
    for (const name of importedNames(readFileSync(file, 'utf8'), /^valkey-lab$|(^|\/)src(\/index)?$/)) add(name, file);
  return users;
}
