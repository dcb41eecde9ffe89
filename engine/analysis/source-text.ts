// A script's text addressed by document ranges (zero-based line, UTF-16 character), as the parser's
// ranges are: the text of a range, a position's offset. `lineOffset` is the document line of the
// text's first line (a snippet inside a larger document).

import type { Position, Range } from '../gdscript/range';

export class SourceText {
  /** Offset of the start of each line of the text. */
  private readonly lineStarts: number[] = [0];

  constructor(readonly text: string, private readonly lineOffset = 0) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
  }

  /** The offset of a document position in the text, clamped to its line and to the text. */
  offsetAt(position: Position): number {
    const line = position.line - this.lineOffset;
    if (line < 0) return 0;
    if (line >= this.lineStarts.length) return this.text.length;
    const start = this.lineStarts[line];
    const next = line + 1 < this.lineStarts.length ? this.lineStarts[line + 1] - 1 : this.text.length;
    const end = next > start && this.text.charCodeAt(next - 1) === 13 ? next - 1 : next; // before "\r\n"
    return Math.min(start + position.character, end);
  }

  /** The document position of an offset. */
  positionAt(offset: number): Position {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + this.lineOffset, character: offset - this.lineStarts[low] };
  }

  slice(range: Range): string {
    return this.text.slice(this.offsetAt(range.start), this.offsetAt(range.end));
  }

  /** `range` widened to the spaces and tabs right before it on its line. */
  withSpaceBefore(range: Range): Range {
    let start = this.offsetAt(range.start);
    while (start > 0 && (this.text[start - 1] === ' ' || this.text[start - 1] === '\t')) start--;
    return { start: this.positionAt(start), end: range.end };
  }
}
