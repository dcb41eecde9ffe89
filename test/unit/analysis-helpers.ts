// Helpers of the analyzer tests: analyze a script, find a piece of text's document range, and compare
// problems by what matters (code, message, range).

import { analyzeDocument } from '../../engine/analysis/analyze-document';
import type { AnalysisProblem } from '../../engine/analysis/problem';
import type { Position, Range } from '../../engine/gdscript/range';

/** The analysis problems of a plain .gd script. */
export function problemsOf(source: string): AnalysisProblem[] {
  return analyzeDocument(source, 'gdscript');
}

/** The range of the `nth` occurrence (0-based) of `needle` in `text` (it must not span lines). */
export function rangeOf(text: string, needle: string, nth = 0): Range {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`"${needle}" (occurrence ${nth}) is not in the text`);
  }
  const start = positionOf(text, at);
  return { start, end: { line: start.line, character: start.character + needle.length } };
}

/** The range of `name` inside the first occurrence of `context` (e.g. the `i` of `var i :=`). */
export function rangeIn(text: string, context: string, name: string): Range {
  const outer = rangeOf(text, context);
  const at = context.indexOf(name);
  if (at < 0) throw new Error(`"${name}" is not in "${context}"`);
  const start = { line: outer.start.line, character: outer.start.character + at };
  return { start, end: { line: start.line, character: start.character + name.length } };
}

/** The position `offset` characters into the text (or right after `needle` when a string is given). */
export function positionOf(text: string, offset: number): Position {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

/** The position right after the `nth` occurrence of `needle`. */
export function after(text: string, needle: string, nth = 0): Position {
  return rangeOf(text, needle, nth).end;
}

export function brief(p: AnalysisProblem): { code: string; message: string; range: Range } {
  return { code: p.code, message: p.message, range: p.range };
}

/** The problems with the given code. */
export function withCode(problems: AnalysisProblem[], code: string): AnalysisProblem[] {
  return problems.filter((p) => p.code === code);
}
