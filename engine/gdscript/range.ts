// Source positions and ranges, LSP style: zero-based line and character (UTF-16 code units).
// Every range produced by the lexer/parser is document-absolute: the `lineOffset` passed to
// `parse()` has already been added to the line numbers.

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export function makeRange(startLine: number, startChar: number, endLine: number, endChar: number): Range {
  return { start: { line: startLine, character: startChar }, end: { line: endLine, character: endChar } };
}

/** A range covering `from` up to the end of `to`. */
export function spanRanges(from: Range, to: Range): Range {
  return { start: from.start, end: to.end };
}

/** A zero-width range at the start of `r`. */
export function rangeStart(r: Range): Range {
  return { start: r.start, end: r.start };
}

/** A zero-width range at the end of `r`. */
export function rangeEnd(r: Range): Range {
  return { start: r.end, end: r.end };
}

/** A syntax error (or other static problem) blamed on a document range. */
export interface SyntaxProblem {
  message: string;
  range: Range;
}

/** Replace the text of `range` (document coordinates) with `newText`; an empty range inserts. */
export interface TextEdit {
  range: Range;
  newText: string;
}

/**
 * A way to mend a problem: one or more non-overlapping edits of the same document, applied together.
 * `safe` fixes keep the program's meaning (Godot 3 → 4 migrations, renames) and may be applied
 * without review (`dtls-lab check --fix`, "Fix all" in the editor); others need a human look.
 */
export interface QuickFix {
  title: string;
  edits: TextEdit[];
  safe: boolean;
}
