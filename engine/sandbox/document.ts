// Finds the annotated snippets of a document and pairs each client with its server.
//
// In a `.gd` file a snippet starts at a comment line `# @dtls server` or `# @dtls client` (optionally
// followed by `key=value` options) and runs to the next `# @dtls` line or the end of the file.
// In Markdown, a ```gdscript (or ```gd) fence whose first line is such a comment is a snippet
// (and a further `# @dtls` line inside the fence starts another one).
// Each client pairs with the nearest server before it in the same document, or with the server named by
// its `pair=` option. A line `# @dtls expect …` belongs to the snippet it is in (it starts no snippet).

import type { Problem, Range } from './report';
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
}

export interface SnippetPair {
  server: Snippet;
  client: Snippet;
}

export interface SnippetDocument {
  snippets: Snippet[];
  pairs: SnippetPair[];
  problems: Problem[];
}

const ANNOTATION = /^\s*#\s*@dtls\b(.*)$/;
const FENCE_OPEN = /^\s*(`{3,}|~{3,})\s*([A-Za-z0-9_+-]*)/;

interface Region {
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
  for (const region of regions) {
    // In Markdown only fences that start with an annotation are snippets.
    if (language === 'markdown' && !ANNOTATION.test(lines[region.start] ?? '')) continue;
    let current: Snippet | undefined;
    for (let line = region.start; line < region.end; line++) {
      const match = ANNOTATION.exec(lines[line]);
      if (!match) continue;
      if (/^\s+expect\b/.test(match[1])) {
        if (current) (current.expectations ??= []).push(...parseExpectations(match[1], line, lines[line], problems));
        else problems.push({ severity: 'error', code: 'annotation', message: 'An "# @dtls expect" line belongs to a snippet: put it after "# @dtls server" or "# @dtls client".', range: lineRange(line, lines[line]) });
        continue;
      }
      if (current) current.endLine = line;
      current = parseAnnotation(match[1], line, lines[line], problems);
      if (current) {
        current.endLine = region.end;
        snippets.push(current);
      }
    }
  }
  for (const snippet of snippets) snippet.source = lines.slice(snippet.startLine, snippet.endLine).join('\n');
  nameSnippets(snippets);
  return { snippets, pairs: pairSnippets(snippets, lines, problems), problems };
}

/** The content lines of each ```gdscript / ```gd fence. */
function gdscriptFences(lines: string[]): Region[] {
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

function parseAnnotation(rest: string, line: number, lineText: string, problems: Problem[]): Snippet | undefined {
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
  for (const word of words.slice(1)) {
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
    const error = parseOption(role, key, value, settings);
    if (error) problems.push({ severity: 'error', code: 'annotation', message: error, range });
  }
  return { role, name: settings.name ?? '', annotationLine: line, startLine: line, endLine: line + 1, source: '', options, settings, expectations: [] };
}

/** Splits on spaces, keeping "quoted values" whole; offsets are relative to `rest`. */
function splitWords(rest: string): { text: string; offset: number }[] {
  const words: { text: string; offset: number }[] = [];
  const pattern = /(?:[^\s"]+|"[^"]*")+/g;
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
