// The analysis of a whole document: every `# @dtls` snippet as it runs (with its fragments and call=
// functions, assembleScript), every un-annotated ```gdscript fence of a Markdown file, and a plain .gd
// file without annotations. Ranges are document ranges throughout. The last results are cached by text,
// so diagnostics and the editor queries on one version of a document share one analysis, and a unit
// whose code (and everything else its analysis reads) did not change since one of those results is
// reused: after an edit only the edited snippet, fence or file is analyzed again.

import { type ScriptNode } from '../gdscript';
import { compilerChecks } from '../gdscript/parser';
import type { Position } from '../gdscript/range';
import { assembleScript } from '../sandbox/assemble';
import { callFunctionName, gdscriptFences, readSnippets, type DocumentLanguage, type Snippet, type SnippetDocument } from '../sandbox/document';
import type { Problem } from '../sandbox/report';
import { analyzeScript, type Analysis } from './analyzer';
import { indentUnitOf } from './dtls-lints';
import { parseShared } from './parse-cache';
import type { AnalysisProblem } from './problem';
import { warningIgnoresByLine, type WarningCode } from './warnings';

export interface ScriptUnit {
  kind: 'snippet' | 'fence' | 'file';
  /** The annotated snippet, for kind 'snippet'. */
  snippet?: Snippet;
  /** Document lines the unit's code comes from ([start, end) each: the snippet and its fragments, or the fence). */
  regions: { start: number; end: number }[];
  analysis: Analysis;
  /** True when the unit has syntax errors: its analysis problems are not reported (as in Godot), queries still work. */
  hasSyntaxErrors: boolean;
  /**
   * The syntax and annotation problems checkDocument() reports for the unit: a snippet's as it runs
   * (assembleScript), a plain file's parse and compiler errors (computed when first read). None for
   * fences (they are not run), nor in a focused analysis.
   */
  readonly syntax: Problem[];
}

export interface DocumentAnalysis {
  text: string;
  language: DocumentLanguage;
  lines: string[];
  snippets: SnippetDocument;
  units: ScriptUnit[];
  /** The analysis problems of every unit without syntax errors (syntax and annotation problems are check.ts's). */
  problems: AnalysisProblem[];
}

export interface AnalyzeDocumentOptions {
  /** Warnings that are off by default to turn on (RETURN_VALUE_DISCARDED). */
  enable?: readonly WarningCode[];
}

const CALL_FUNCTION_PREFIX = callFunctionName(0).replace(/0$/, '');
/** The functions the lab generates for `call=` options (not the user's code). */
export const isGeneratedFunction = (name: string): boolean => name.startsWith(CALL_FUNCTION_PREFIX);

const CACHE_SIZE = 4;
const cache: DocumentAnalysis[] = [];

/** Analysis problems of a document (not its syntax or annotation problems: checkDocument() has those). */
export function analyzeDocument(text: string, language: DocumentLanguage, options: AnalyzeDocumentOptions = {}): AnalysisProblem[] {
  return documentAnalysis(text, language, options).problems;
}

/** The full analysis of a document (units with their scopes and symbols), cached by text. */
export function documentAnalysis(text: string, language: DocumentLanguage, options: AnalyzeDocumentOptions = {}): DocumentAnalysis {
  const key = (options.enable ?? []).join(',');
  const hit = cache.find((c) => c.text === text && c.language === language && cacheKeys.get(c) === key);
  if (hit) return hit;
  const result = analyze(text, language, options);
  cacheKeys.set(result, key);
  cache.unshift(result);
  if (cache.length > CACHE_SIZE) cache.pop();
  return result;
}

const cacheKeys = new WeakMap<DocumentAnalysis, string>();

/**
 * For completion and signature help while typing: the cached analysis of the text, or else of a recent
 * version that differs from it only in the position's line (that line edited, inserted or deleted) —
 * the scopes and types around the cursor are the same, and the cursor's line is read from the text
 * itself. Without such a version, only the function around the position is analyzed (not cached).
 */
export function documentAnalysisWhileTyping(text: string, language: DocumentLanguage, position: Position): DocumentAnalysis {
  const exact = cache.find((c) => c.text === text && c.language === language && cacheKeys.get(c) === '');
  if (exact) return exact;
  const lines = text.split(/\r?\n/);
  const near = cache.find((c) => c.language === language && cacheKeys.get(c) === '' && differsOnlyAt(c.lines, lines, position.line));
  // Nothing recent: check just the function at the position (the full analysis comes with the diagnostics).
  return near ?? analyze(text, language, {}, position);
}

/** Whether `before` and `after` are equal but for line `line` of `after` (changed, inserted, or two lines joined). */
function differsOnlyAt(before: readonly string[], after: readonly string[], line: number): boolean {
  const tail = after.length - line - 1;
  const middle = before.length - line - tail;
  if (tail < 0 || middle < 0 || middle > 2) return false;
  for (let i = 0; i < line; i++) if (before[i] !== after[i]) return false;
  for (let k = 1; k <= tail; k++) if (before[before.length - k] !== after[after.length - k]) return false;
  return true;
}

/**
 * `focus`: for a query at that position only: just the unit around it, with just the function around the
 * position checked (see AnalyzeOptions.focus); such an analysis has no problems and is not cached.
 */
function analyze(text: string, language: DocumentLanguage, options: AnalyzeDocumentOptions, focus?: Position): DocumentAnalysis {
  const lines = text.split(/\r?\n/);
  const snippets = readSnippets(text, language);
  const ignoresByLine = warningIgnoresByLine(lines);
  const units: ScriptUnit[] = [];
  const analyzeOptions = { lines, enable: options.enable, ignoresByLine, generatedFunctions: isGeneratedFunction, focus };
  const wanted = (regions: { start: number; end: number }[]) => !focus || regions.some((r) => focus.line >= r.start && focus.line <= r.end);
  // Units of the cached analyses, by what their analysis depends on (a focused analysis reuses nothing).
  const recent = new Map<string, ScriptUnit>();
  if (!focus) for (const doc of cache) for (const unit of doc.units) { const key = unitKeys.get(unit); if (key !== undefined) recent.set(key, unit); }
  const context = focus ? '' : JSON.stringify([(options.enable ?? []).join(','), indentUnitOf(lines)]);
  /**
   * The unit of `key` from a recent analysis, or else `make()`'s, remembered under `key`. `codeLines`: the
   * document lines its code is on, whose `@warning_ignore`s (from the text) are part of the key.
   */
  const reuse = (key: string, codeLines: { start: number; end: number }[], make: () => ScriptUnit): ScriptUnit => {
    if (focus) return make();
    const ignores = [...ignoresByLine].filter(([line]) => codeLines.some((r) => line >= r.start && line < r.end)).map(([line, codes]) => [line, [...codes]]);
    const fullKey = `${context}\n${JSON.stringify(ignores)}\n${key}`;
    const unit = recent.get(fullKey);
    if (unit) return unit;
    const made = make();
    unitKeys.set(made, fullKey);
    return made;
  };

  for (const snippet of snippets.snippets) {
    const regions = [{ start: snippet.startLine, end: snippet.endLine }, ...(snippet.fragments ?? []).map((f) => ({ start: f.startLine, end: f.endLine }))];
    if (!wanted(regions)) continue;
    // call= functions are generated on their annotation's line (and the line before it).
    const callLines = (snippet.calls ?? []).map((c) => ({ start: c.line - 1, end: c.line + 1 }));
    const made = reuse(snippetKey(snippet, regions), [...regions, ...callLines], () => {
      const assembled = assembleScript(snippet);
      return {
        kind: 'snippet', snippet, regions, analysis: guardedAnalysis(assembled.script, analyzeOptions),
        hasSyntaxErrors: assembled.problems.some((p) => p.severity === 'error' && p.code === 'syntax'),
        syntax: assembled.problems,
      };
    });
    // A reused unit's snippet is of an older text: same code, but its objects are not this text's. The copy
    // is reusable in turn (under the same key).
    if (made.snippet === snippet) units.push(made);
    else {
      const current = { ...made, snippet, regions };
      const key = unitKeys.get(made);
      if (key !== undefined) unitKeys.set(current, key);
      units.push(current);
    }
  }
  if (language === 'markdown') {
    for (const fence of gdscriptFences(lines)) {
      if (/^\s*#\s*@dtls\b/.test(lines[fence.start] ?? '') || !wanted([fence])) continue;
      const source = lines.slice(fence.start, fence.end).join('\n');
      units.push(reuse(JSON.stringify(['fence', fence.start, fence.end, source]), [fence], () => plainUnit('fence', source, fence.start, fence.end, analyzeOptions)));
    }
  } else if (snippets.snippets.length === 0) {
    units.push(plainUnit('file', text, 0, lines.length, analyzeOptions)); // the whole text: nothing to reuse
  }
  const problems = focus ? [] : units.filter((u) => !u.hasSyntaxErrors).flatMap((u) => u.analysis.problems);
  problems.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  return { text, language, lines, snippets, units, problems };
}

function plainUnit(kind: 'fence' | 'file', source: string, start: number, end: number, options: Parameters<typeof analyzeScript>[1]): ScriptUnit {
  const parsed = parseShared(source, start);
  // A plain .gd file is checked like a script that runs: its parse errors and the compiler's checks, run
  // when checkDocument() first asks (the editor queries do not need them).
  let syntax: Problem[] | undefined = kind === 'fence' || options?.focus ? [] : undefined;
  const fileSyntax = (): Problem[] => {
    const errors = [...parsed.errors, ...compilerChecks(parsed.script)];
    errors.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
    return errors.map((e) => ({ severity: 'error', code: 'syntax', message: e.message, range: e.range }));
  };
  return {
    kind, regions: [{ start, end }], analysis: guardedAnalysis(parsed.script, options), hasSyntaxErrors: parsed.errors.length > 0,
    get syntax() {
      return (syntax ??= fileSyntax());
    },
  };
}

/** What units of a document analysis were computed from: the key they are reused by. */
const unitKeys = new WeakMap<ScriptUnit, string>();

/**
 * What a snippet unit's analysis and syntax problems depend on: its name, its code and that of its
 * fragments and call= options, each with its document lines.
 */
function snippetKey(snippet: Snippet, regions: { start: number; end: number }[]): string {
  return JSON.stringify([
    'snippet', snippet.name, snippet.role, snippet.startLine, snippet.source, regions,
    (snippet.fragments ?? []).map((f) => [f.role, f.annotationLine, f.startLine, f.source]),
    (snippet.calls ?? []).map((c) => [c.expression, c.line, c.character, c.range]),
  ]);
}

/** A bug in the analyzer must not take the editor down: it becomes a problem at the script's start. */
function guardedAnalysis(script: ScriptNode, options: Parameters<typeof analyzeScript>[1]): Analysis {
  try {
    return analyzeScript(script, options);
  } catch (e) {
    const empty = analyzeScript({ ...script, members: [] }, options);
    const at = { start: script.range.start, end: script.range.start };
    return { ...empty, script, problems: [{ severity: 'error', code: 'analyzer-internal', message: `Internal analyzer error: ${(e as Error).message}`, range: at }] };
  }
}

/** The unit whose code contains `position` (a snippet, one of its fragments, a fence, the file). */
export function unitAt(doc: DocumentAnalysis, position: Position): ScriptUnit | undefined {
  return doc.units.find((u) => u.regions.some((r) => position.line >= r.start && position.line < r.end));
}
