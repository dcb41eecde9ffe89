// Whether an edit makes a run's inline results stale. The server says which lines a run belongs to
// (RunPairResult.lines: the pair's snippets and fragments, read by the engine); an edit clears the
// results of the runs whose lines it touches, or whose lines it moves.
import type { LineSpan } from '../server/protocol';

/** A text change: replaced lines [startLine, endLine] (inclusive) and whether the line count changed. */
export interface LineChange {
  startLine: number;
  endLine: number;
  linesChanged: boolean;
}

/**
 * Whether a change invalidates results drawn on `extent` (sorted spans): it touches one of its
 * spans, or it adds or removes lines above its last span (which would move the results off their lines).
 */
export function changeInvalidates(extent: readonly LineSpan[], change: LineChange): boolean {
  if (extent.length === 0) return false;
  const touches = extent.some((s) => change.startLine < s.end && change.endLine >= s.start);
  return touches || (change.linesChanged && change.startLine < extent[extent.length - 1].end);
}
