// Which lines of a document belong to a run, so that an edit clears only the results of the snippets
// it touched. The extension must not bundle the engine's snippet reader (engine/sandbox/document.ts),
// and a line-level approximation is enough here: a block starts at a `# @dtls server|client` line and
// ends before the next one (or, in Markdown, at the closing fence).

const ANNOTATION = /^\s*#\s*@dtls\s+(server|client)\b/;
const FENCE = /^\s*(```|~~~)/;

/** Half-open line interval [start, end). */
export interface LineSpan {
  start: number;
  end: number;
}

/** The block of lines containing `line`: from the annotation at or above it to the end of its snippet. */
export function blockAt(lines: readonly string[], line: number, markdown: boolean): LineSpan {
  let start = Math.min(line, lines.length - 1);
  while (start > 0 && !ANNOTATION.test(lines[start])) {
    if (markdown && FENCE.test(lines[start])) return { start: line, end: line + 1 }; // outside a snippet
    start--;
  }
  let end = start + 1;
  while (end < lines.length && !ANNOTATION.test(lines[end]) && !(markdown && FENCE.test(lines[end]))) end++;
  return { start, end: Math.max(end, line + 1) };
}

/** The blocks holding `lines` (annotation lines, decorated lines), merged and sorted. */
export function runExtent(text: string, lines: Iterable<number>, markdown: boolean): LineSpan[] {
  const all = text.split(/\r?\n/);
  const spans = [...new Set(lines)].filter((l) => l >= 0 && l < all.length).map((l) => blockAt(all, l, markdown));
  spans.sort((a, b) => a.start - b.start);
  const merged: LineSpan[] = [];
  for (const span of spans) {
    const last = merged[merged.length - 1];
    if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ ...span });
  }
  return merged;
}

/** A text change: replaced lines [startLine, endLine] (inclusive) and whether the line count changed. */
export interface LineChange {
  startLine: number;
  endLine: number;
  linesChanged: boolean;
}

/**
 * Whether a change invalidates results drawn on `extent`: it touches one of its blocks, or it adds
 * or removes lines above its last block (which would move the results off their lines).
 */
export function changeInvalidates(extent: readonly LineSpan[], change: LineChange): boolean {
  if (extent.length === 0) return false;
  const touches = extent.some((s) => change.startLine < s.end && change.endLine >= s.start);
  return touches || (change.linesChanged && change.startLine < extent[extent.length - 1].end);
}
