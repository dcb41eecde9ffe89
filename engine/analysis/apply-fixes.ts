// Applies quick fixes to a document's text: `dtls-lab check --fix` and the editor's "Fix all" use it.
// A fix is applied whole (all its edits) or not at all; a fix whose edits overlap an edit of a fix taken
// before it is left out (fix the rest, check again, and it can be applied in the next round).

import type { QuickFix, Range, TextEdit } from '../gdscript/range';
import { SourceText } from './source-text';

export interface FixPlan {
  /** The fixes to apply together, in the order given. */
  accepted: QuickFix[];
  /** Fixes left out because they overlap an accepted one. */
  skipped: QuickFix[];
}

function before(a: Range['start'], b: Range['start']): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

/** Whether two edits touch the same text (two insertions at one place count as overlapping). */
export function editsOverlap(a: TextEdit, b: TextEdit): boolean {
  const aEmpty = !before(a.range.start, a.range.end);
  const bEmpty = !before(b.range.start, b.range.end);
  if (aEmpty && bEmpty) return a.range.start.line === b.range.start.line && a.range.start.character === b.range.start.character;
  return before(a.range.start, b.range.end) && before(b.range.start, a.range.end) ||
    (aEmpty && !before(a.range.start, b.range.start) && before(a.range.start, b.range.end)) ||
    (bEmpty && !before(b.range.start, a.range.start) && before(b.range.start, a.range.end));
}

/** Picks, in order, the fixes whose edits overlap neither each other nor an earlier accepted fix. */
export function planFixes(fixes: readonly QuickFix[]): FixPlan {
  const accepted: QuickFix[] = [];
  const skipped: QuickFix[] = [];
  const taken: TextEdit[] = [];
  for (const fix of fixes) {
    const clash =
      fix.edits.some((e, i) => fix.edits.some((f, j) => i < j && editsOverlap(e, f))) || fix.edits.some((e) => taken.some((t) => editsOverlap(e, t)));
    if (clash) skipped.push(fix);
    else {
      accepted.push(fix);
      taken.push(...fix.edits);
    }
  }
  return { accepted, skipped };
}

/** Applies the edits (document ranges, non-overlapping) to `text`. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const source = new SourceText(text);
  const located = edits
    .map((e) => ({ start: source.offsetAt(e.range.start), end: source.offsetAt(e.range.end), newText: e.newText }))
    .sort((a, b) => b.start - a.start || b.end - a.end);
  let result = text;
  for (const e of located) result = result.slice(0, e.start) + e.newText + result.slice(e.end);
  return result;
}

/** The text with every fix applied that does not overlap an earlier one (see planFixes). */
export function applyFixes(text: string, fixes: readonly QuickFix[]): string {
  return applyEdits(text, planFixes(fixes).accepted.flatMap((f) => f.edits));
}
