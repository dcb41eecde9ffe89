// Finds the annotated snippets of a document and pairs each client with its server.
//
// In a `.gd` file a snippet starts at a comment line `# @dtls server` or `# @dtls client` (optionally
// followed by `key=value` options) and runs to the next `# @dtls` line or the end of the file.
// In Markdown, a ```gdscript (or ```gd) fence whose first line is such a comment is a snippet
// (and a further `# @dtls` line inside the fence starts another one).
// Each client pairs with the nearest server before it in the same document, or with the server named by
// its `pair=` option. A line `# @dtls expect …` belongs to the snippet it is in (it starts no snippet).
// A line `# @dtls server part` / `# @dtls client part` starts a fragment: not a snippet, its members are
// merged into the most recent snippet of that role (or the one named by `pair=`) before it runs
// (assemble.ts). `call=EXPR` runs an expression once the peer is CONNECTED (peer-process.ts).
// Un-annotated Markdown fences that look like a server or a client are listed as `suggestions`.

import type { Problem, Range } from './report';
import { parse } from '../gdscript';
import { parseExpectations, parseOption, type Expectation, type SnippetSettings } from './options';

export type { Expectation, SnippetSettings } from './options';

export type DocumentLanguage = 'gdscript' | 'markdown';

export interface Snippet {
  role: 'server' | 'client';
  /** `name=` option, else the role (numbered when a document has several of one role). */
  name: string;
  /** Zero-based line of the `# @dtls` comment; the snippet's source starts on this line. */
  annotationLine: number;
  startLine: number;
  /** Exclusive. */
  endLine: number;
  /** The snippet's lines joined with `\n`; its line 0 is document line `startLine`. */
  source: string;
  options: Record<string, string>;
  /** The validated options (link shape, limits); only the valid ones are set. */
  settings?: SnippetSettings;
  /** The `# @dtls expect …` lines of this snippet. */
  expectations?: Expectation[];
  /** The `# @dtls server|client part` fragments merged into this snippet's script before it runs. */
  fragments?: Fragment[];
  /** `call=EXPR` of this snippet's annotation and of its fragments: run once the peer is CONNECTED. */
  calls?: CallOption[];
}

/** `call=EXPR`: an expression run on the peer's script once one of its DTLS connections is CONNECTED. */
export interface CallOption {
  expression: string;
  /** The expression's place in the document (its annotation line). */
  line: number;
  character: number;
  /** The range of `call=…` on the annotation line. */
  range: Range;
}

/** `# @dtls client part` / `# @dtls server part`: members merged into a peer's script (no pair, no lens). */
export interface Fragment {
  role: 'server' | 'client';
  annotationLine: number;
  startLine: number;
  /** Exclusive. */
  endLine: number;
  /** The fragment's lines joined with `\n`; its line 0 is document line `startLine`. */
  source: string;
  options: Record<string, string>;
  /** `pair=NAME`: the snippet it belongs to (see `resolveFragments`). */
  pair?: string;
  calls: CallOption[];
  expectations: Expectation[];
}

/** A ```gdscript fence without annotation that looks like a server or a client. */
export interface Suggestion {
  role: 'server' | 'client';
  /** The first content line of the fence: where `# @dtls ROLE` would go. */
  line: number;
  /** The fence's opening line. */
  fenceStartLine: number;
}

export interface SnippetPair {
  server: Snippet;
  client: Snippet;
}

export interface SnippetDocument {
  snippets: Snippet[];
  pairs: SnippetPair[];
  problems: Problem[];
  /** Un-annotated gdscript fences (Markdown) that look like a server or a client. */
  suggestions: Suggestion[];
}

const ANNOTATION = /^\s*#\s*@dtls\b(.*)$/;
const FENCE_OPEN = /^\s*(`{3,}|~{3,})\s*([A-Za-z0-9_+-]*)/;

export interface Region {
  /** First line of the region (inclusive) and the line after its last (exclusive). */
  start: number;
  end: number;
}

export function readSnippets(text: string, language: DocumentLanguage): SnippetDocument {
  const lines = text.split(/\r?\n/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop(); // the final newline ends the last line
  const problems: Problem[] = [];
  const regions = language === 'markdown' ? gdscriptFences(lines) : [{ start: 0, end: lines.length }];
  const snippets: Snippet[] = [];
  const fragments: { fragment: Fragment; after: number }[] = [];
  const suggestions: Suggestion[] = [];
  for (const region of regions) {
    // In Markdown only fences that start with an annotation are snippets.
    if (language === 'markdown' && !ANNOTATION.test(lines[region.start] ?? '')) {
      const role = suggestRole(lines.slice(region.start, region.end).join('\n'));
      if (role) suggestions.push({ role, line: region.start, fenceStartLine: region.start - 1 });
      continue;
    }
    let current: Snippet | Fragment | undefined;
    for (let line = region.start; line < region.end; line++) {
      const match = ANNOTATION.exec(lines[line]);
      if (!match) continue;
      if (/^\s+expect\b/.test(match[1])) {
        if (current) (current.expectations ??= []).push(...parseExpectations(match[1], line, lines[line], problems));
        else problems.push({ severity: 'error', code: 'annotation', message: 'An "# @dtls expect" line belongs to a snippet: put it after "# @dtls server" or "# @dtls client".', range: lineRange(line, lines[line]) });
        continue;
      }
      if (current) current.endLine = line;
      const parsed = parseAnnotation(match[1], line, lines[line], problems);
      current = parsed && 'part' in parsed ? parsed.part : parsed;
      if (parsed && 'part' in parsed) fragments.push({ fragment: parsed.part, after: snippets.length });
      else if (parsed) snippets.push(parsed);
      if (current) current.endLine = region.end;
    }
  }
  for (const snippet of snippets) snippet.source = lines.slice(snippet.startLine, snippet.endLine).join('\n');
  for (const { fragment } of fragments) fragment.source = lines.slice(fragment.startLine, fragment.endLine).join('\n');
  nameSnippets(snippets);
  resolveFragments(snippets, fragments, lines, problems);
  const pairs = pairSnippets(snippets, lines, problems);
  return { snippets, pairs, problems, suggestions };
}

/** A fence that clearly is a server (UDPServer, DTLSServer) or a client (connect_to_peer). */
function suggestRole(source: string): 'server' | 'client' | undefined {
  const code = source.split('\n').map((l) => l.replace(/#.*$/, '')).join('\n');
  if (/\b(UDPServer|DTLSServer)\b/.test(code)) return 'server';
  if (/\bconnect_to_peer\s*\(/.test(code)) return 'client';
  return undefined;
}

/**
 * Attaches each fragment to its snippet: `pair=NAME` names a snippet of the fragment's role (for a client
 * part, a server name picks the last client paired with that server); without it, the most recent snippet
 * of that role before the fragment.
 */
function resolveFragments(snippets: Snippet[], fragments: { fragment: Fragment; after: number }[], lines: string[], problems: Problem[]): void {
  for (const { fragment, after } of fragments) {
    const sameRole = snippets.filter((s) => s.role === fragment.role);
    let target: Snippet | undefined;
    const range = lineRange(fragment.annotationLine, lines[fragment.annotationLine]);
    if (fragment.pair !== undefined) {
      target = sameRole.find((s) => s.name === fragment.pair);
      if (!target && fragment.role === 'client' && snippets.some((s) => s.role === 'server' && s.name === fragment.pair)) {
        const server = snippets.filter((s) => s.role === 'server' && s.name === fragment.pair).pop()!;
        target = [...sameRole].reverse().find((c) => (c.settings?.pair ?? nearestServer(snippets, c)?.name) === server.name);
      }
      if (!target) {
        const names = sameRole.map((s) => `"${s.name}"`);
        problems.push({
          severity: 'error',
          code: 'annotation',
          message: `pair=${fragment.pair}: no ${fragment.role} snippet is named "${fragment.pair}"${names.length ? ` (${fragment.role}s: ${names.join(', ')})` : ''}.`,
          range: optionRange({ annotationLine: fragment.annotationLine } as Snippet, 'pair', lines),
        });
        continue;
      }
    } else {
      target = snippets.slice(0, after).filter((s) => s.role === fragment.role).pop();
      if (!target) {
        problems.push({
          severity: 'error',
          code: 'annotation',
          message: `This ${fragment.role} part belongs to no snippet: put a "# @dtls ${fragment.role}" snippet before it, or name one with pair=NAME.`,
          range,
        });
        continue;
      }
    }
    (target.fragments ??= []).push(fragment);
    if (fragment.calls.length > 0) (target.calls ??= []).push(...fragment.calls);
    if (fragment.expectations.length > 0) (target.expectations ??= []).push(...fragment.expectations);
  }
}

function nearestServer(snippets: Snippet[], client: Snippet): Snippet | undefined {
  return snippets.slice(0, snippets.indexOf(client)).filter((s) => s.role === 'server').pop();
}

/** The content lines of each ```gdscript / ```gd fence (`lines`: the document split at line ends). */
export function gdscriptFences(lines: string[]): Region[] {
  const regions: Region[] = [];
  for (let line = 0; line < lines.length; line++) {
    const open = FENCE_OPEN.exec(lines[line]);
    if (!open) continue;
    const fence = open[1];
    let close = line + 1;
    while (close < lines.length && !isFenceClose(lines[close], fence)) close++;
    const info = open[2].toLowerCase();
    if (info === 'gdscript' || info === 'gd') regions.push({ start: line + 1, end: close });
    line = close;
  }
  return regions;
}

function isFenceClose(line: string, fence: string): boolean {
  const trimmed = line.trim();
  return trimmed.length >= fence.length && trimmed[0] === fence[0] && /^(`+|~+)$/.test(trimmed);
}

function parseAnnotation(rest: string, line: number, lineText: string, problems: Problem[]): Snippet | { part: Fragment } | undefined {
  const words = splitWords(rest);
  const column = lineText.indexOf('@dtls');
  const whole: Range = { start: { line, character: column }, end: { line, character: lineText.length } };
  const role = words[0]?.text;
  if (role !== 'server' && role !== 'client') {
    problems.push({
      severity: 'error',
      code: 'annotation',
      message: role
        ? `Unknown snippet role "${role}": a snippet is "# @dtls server" or "# @dtls client".`
        : 'Missing snippet role: write "# @dtls server" or "# @dtls client".',
      range: whole,
    });
    return undefined;
  }
  const options: Record<string, string> = {};
  const settings: SnippetSettings = {};
  const isPart = words[1]?.text === 'part';
  const calls: CallOption[] = [];
  let partPair: string | undefined;
  for (const word of words.slice(isPart ? 2 : 1)) {
    const at = column + '@dtls'.length + word.offset;
    const range: Range = { start: { line, character: at }, end: { line, character: at + word.text.length } };
    const eq = word.text.indexOf('=');
    if (eq <= 0) {
      problems.push({ severity: 'error', code: 'annotation', message: `Expected key=value after "# @dtls ${role}", found "${word.text}".`, range });
      continue;
    }
    const key = word.text.slice(0, eq);
    const value = unquote(word.text.slice(eq + 1));
    options[key] = value;
    if (key === 'call') {
      const character = at + eq + 1 + (value.length < word.text.length - eq - 1 ? 1 : 0);
      const error = checkCall(value);
      if (error) problems.push({ severity: 'error', code: 'annotation', message: `call=${value}: ${error}`, range });
      else calls.push({ expression: value, line, character, range });
      continue;
    }
    if (isPart) {
      if (key === 'pair' && value) partPair = value;
      else problems.push({ severity: 'error', code: 'annotation', message: key === 'pair' ? 'pair= needs the name of a snippet (e.g. pair=echo).' : `${key}=: a part takes only pair=NAME and call=EXPR (put link options on its snippet's annotation).`, range });
      continue;
    }
    const error = parseOption(role, key, value, settings);
    if (error) problems.push({ severity: 'error', code: 'annotation', message: error, range });
  }
  if (isPart)
    return { part: { role, annotationLine: line, startLine: line, endLine: line + 1, source: '', options, pair: partPair, calls, expectations: [] } };
  return {
    calls, role, name: settings.name ?? '', annotationLine: line, startLine: line, endLine: line + 1, source: '', options, settings, expectations: [] };
}

/** Problems of a `call=` expression: it must parse as one GDScript expression (e.g. a call with literal arguments). */
function checkCall(expression: string): string | undefined {
  if (!expression.trim()) return 'expected a GDScript expression, e.g. call=send_data("hi").';
  const { errors, script } = parse(callSource(expression, 0, 0), { check: false });
  if (errors.length > 0) return `${errors[0].message} (expected a GDScript expression, e.g. call=send_data("hi")).`;
  const body = script.members[0]?.kind === 'Function' ? script.members[0].body : [];
  if (script.members.length !== 1 || body.length !== 1 || body[0].kind !== 'Expression')
    return 'expected one GDScript expression, e.g. call=send_data("hi").';
  return undefined;
}

/** The name of the function that runs the `index`-th `call=` of a peer. */
export function callFunctionName(index: number): string {
  return `__dtls_lab_call_${index}`;
}

/**
 * A one-function script running `expression`, laid out so that, parsed with `lineOffset: line - 1`, the
 * expression's ranges are its place on the annotation line.
 */
export function callSource(expression: string, character: number, index: number): string {
  return `func ${callFunctionName(index)}():\n${' '.repeat(Math.max(1, character))}${expression}\n`;
}

/** Splits on spaces, keeping "quoted values" and (parenthesized, values) whole; offsets are relative to `rest`. */
function splitWords(rest: string): { text: string; offset: number }[] {
  const words: { text: string; offset: number }[] = [];
  const pattern = /(?:[^\s"()]+|"[^"]*"|\((?:[^()"]|"[^"]*"|\((?:[^()"]|"[^"]*")*\))*\)|[()])+/g;
  for (let m = pattern.exec(rest); m; m = pattern.exec(rest)) words.push({ text: m[0], offset: m.index });
  return words;
}

function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
}

function nameSnippets(snippets: Snippet[]): void {
  for (const role of ['server', 'client'] as const) {
    const unnamed = snippets.filter((s) => s.role === role && !s.name);
    unnamed.forEach((s, i) => (s.name = unnamed.length > 1 ? `${role} ${i + 1}` : role));
  }
}

function lineRange(line: number, text: string): Range {
  return { start: { line, character: 0 }, end: { line, character: text.length } };
}

/** The range of `key=…` on a snippet's annotation line. */
function optionRange(snippet: Snippet, key: string, lines: string[]): Range {
  const text = lines[snippet.annotationLine];
  const at = text.search(new RegExp(`\\b${key}=`));
  if (at < 0) return lineRange(snippet.annotationLine, text);
  const end = text.slice(at).search(/\s|$/);
  return { start: { line: snippet.annotationLine, character: at }, end: { line: snippet.annotationLine, character: at + end } };
}

function pairSnippets(snippets: Snippet[], lines: string[], problems: Problem[]): SnippetPair[] {
  const pairs: SnippetPair[] = [];
  let server: Snippet | undefined;
  for (const snippet of snippets) {
    const wanted = snippet.settings?.pair;
    if (snippet.role === 'server') server = snippet;
    else if (wanted !== undefined) {
      const named = snippets.find((s) => s.role === 'server' && s.name === wanted);
      if (named) pairs.push({ server: named, client: snippet });
      else {
        const servers = snippets.filter((s) => s.role === 'server').map((s) => `"${s.name}"`);
        problems.push({
          severity: 'error',
          code: 'annotation',
          message: `pair=${wanted}: no server snippet is named "${wanted}"${servers.length ? ` (servers: ${servers.join(', ')})` : ' (this document has no server)'}.`,
          range: optionRange(snippet, 'pair', lines),
        });
      }
    } else if (server) pairs.push({ server, client: snippet });
    else {
      const line = snippet.annotationLine;
      problems.push({
        severity: 'warning',
        code: 'annotation',
        message: 'This client has no server: put a "# @dtls server" snippet before it in the same document.',
        range: { start: { line, character: 0 }, end: { line, character: lines[line].length } },
      });
    }
  }
  return pairs;
}
