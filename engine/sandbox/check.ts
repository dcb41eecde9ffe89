// Static problems of a document, found without running anything: annotations, syntax, Godot 3
// constructs (with their Godot 4 fixes) and the analyzer's problems (types, names, warnings, DTLS lints).
// A Godot 3 construct is reported once, as its `godot3` problem: syntax errors and analyzer problems
// whose range overlaps a `godot3` problem are about the same code and are left out.
//
// One reading of the text serves all of it: documentAnalysis() reads the snippets, assembles each
// snippet's script (its syntax problems) and analyzes it; the migrations reuse the snippets and, through
// the parse cache (engine/analysis/parse-cache.ts), the syntax trees. Snippets, fences and pieces whose
// text did not change since a recent check are not checked again.

import { documentAnalysis } from '../analysis/analyze-document';
import { findGodot3InDocument } from '../analysis/godot3-migrations';
import type { Position, Range } from '../gdscript/range';
import type { DocumentLanguage } from './document';
import type { Problem } from './report';

export function checkDocument(text: string, language: DocumentLanguage): Problem[] {
  const doc = documentAnalysis(text, language);
  const annotations = doc.snippets.problems;
  // Each snippet as it runs (with its fragments and call= functions, see assemble.ts); a plain .gd script
  // without annotations is still GDScript worth checking (its unit has its syntax problems too).
  const syntax = doc.units.flatMap((u) => u.syntax);
  const godot3 = findGodot3InDocument(text, language, { snippets: doc.snippets, lines: doc.lines });
  const analysis: Problem[] = doc.problems;
  const covered = (p: Problem) => godot3.some((g) => rangesOverlap(g.range, p.range));
  const problems = [...annotations, ...godot3, ...[...syntax, ...analysis].filter((p) => !covered(p))];
  return problems.sort((a, b) => comparePositions(a.range.start, b.range.start));
}

function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

/** Whether two ranges share text; an empty range overlaps a range it lies in (start included, end excluded). */
function rangesOverlap(a: Range, b: Range): boolean {
  const inside = (p: Position, r: Range) => comparePositions(p, r.start) >= 0 && comparePositions(p, r.end) < 0;
  if (comparePositions(a.start, a.end) === 0) return inside(a.start, b) || comparePositions(a.start, b.start) === 0;
  if (comparePositions(b.start, b.end) === 0) return inside(b.start, a) || comparePositions(b.start, a.start) === 0;
  return comparePositions(a.start, b.end) < 0 && comparePositions(b.start, a.end) < 0;
}
