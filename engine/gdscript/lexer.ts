// The lexer turns GDScript source text into tokens, including the NEWLINE / INDENT / DEDENT
// tokens that carry GDScript's indentation-based block structure.
//
// Rules (as in Godot 4's tokenizer):
// - Blank lines and comment-only lines never produce tokens.
// - Inside (), [] and {} line breaks are ignored; a `\` at the end of a line joins it with the next.
// - A file must indent with either tabs or spaces, not both.
// Problems are collected in `errors`; the lexer never throws.

import { KEYWORDS, OPERATORS, type Token, type TokenKind } from './tokens';
import type { Range, SyntaxProblem } from './range';
import { intFromBig } from './values';

export interface LexResult {
  tokens: Token[];
  errors: SyntaxProblem[];
  /** `##` documentation comments, one per line (document line, text after "##" and one space). */
  docComments: DocComment[];
}

export interface DocComment {
  line: number;
  text: string;
  /** True when the comment follows code on the same line (`var x ## doc`). */
  trailing: boolean;
}

/**
 * A multi-line lambda inside brackets (`arr.map(func(x):` NEWLINE body `)`): while its body is read,
 * line breaks and indentation count again, like in Godot's tokenizer.
 */
interface LambdaBlock {
  /** Bracket depth outside the lambda, restored when its body ends. */
  outerDepth: number;
  /** Length of the indent stack before the header's indentation was pushed as the body's floor. */
  stackLength: number;
}

/** Tracks `func ( ... ) [-> Type] :` inside brackets, to recognise the colon of a lambda header. */
interface PendingLambda {
  depth: number;
  paramsClosed: boolean;
}

/** OPERATORS by their first character, in OPERATORS' order (longest first), so that scanning tries only a few. */
const OPERATORS_BY_FIRST = new Map<string, string[]>();
for (const op of OPERATORS) {
  const list = OPERATORS_BY_FIRST.get(op[0]);
  if (list) list.push(op);
  else OPERATORS_BY_FIRST.set(op[0], [op]);
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', '"': '"', "'": "'", '\\': '\\',
};

const OPENING = new Set(['(', '[', '{']);
const CLOSING = new Set([')', ']', '}']);

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}
function isHexDigit(c: string): boolean {
  return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
function isIdentStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || (c > '\x7f' && /\p{L}/u.test(c));
}
/** [A-Za-z0-9_] by character code (the common case, without building one-character strings). */
function isAsciiIdentPart(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95;
}
function isIdentPart(c: string): boolean {
  return isIdentStart(c) || isDigit(c) || (c > '\x7f' && /\p{N}/u.test(c));
}

export function tokenize(source: string, lineOffset = 0): LexResult {
  return new Lexer(source, lineOffset).run();
}

class Lexer {
  private pos = 0;
  private line = 0;
  private lineStart = 0; // index of the first character of the current line
  private readonly tokens: Token[] = [];
  private readonly errors: SyntaxProblem[] = [];
  private readonly indentStack: number[] = [0];
  private indentChar: '\t' | ' ' | undefined;
  private bracketDepth = 0;
  private lineHasTokens = false;
  private readonly docComments: DocComment[] = [];
  private readonly lambdaBlocks: LambdaBlock[] = [];
  private pendingLambda: PendingLambda | undefined;

  constructor(private readonly src: string, private readonly lineOffset: number) {}

  run(): LexResult {
    let atLineStart = true;
    while (this.pos < this.src.length) {
      if (atLineStart) {
        atLineStart = false;
        if (this.bracketDepth === 0) this.handleIndentation();
      }
      const c = this.src[this.pos];
      if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') {
        this.pos++;
      } else if (c === '#') {
        const start = this.pos;
        while (this.pos < this.src.length && this.src[this.pos] !== '\n') this.pos++;
        if (this.src[start + 1] === '#') {
          let text = this.src.slice(start + 2, this.pos).replace(/\r$/, '');
          if (text.startsWith(' ')) text = text.slice(1);
          this.docComments.push({ line: this.line + this.lineOffset, text, trailing: this.lineHasTokens });
        }
      } else if (c === '\n') {
        if (this.bracketDepth === 0 && this.lineHasTokens) {
          this.push('newline', '', this.pos, this.pos);
          this.lineHasTokens = false;
        }
        this.newLine();
        atLineStart = true;
      } else if (c === '\\') {
        this.lineContinuation();
      } else {
        this.scanToken();
      }
    }
    if (this.lineHasTokens) this.push('newline', '', this.pos, this.pos);
    while (this.indentStack.length > 1) {
      this.indentStack.pop();
      this.push('dedent', '', this.pos, this.pos);
    }
    this.push('eof', '', this.pos, this.pos);
    return { tokens: this.tokens, errors: this.errors, docComments: this.docComments };
  }

  // ---- positions -------------------------------------------------------------------------

  private newLine(): void {
    this.pos++;
    this.line++;
    this.lineStart = this.pos;
  }

  /** Range from absolute index `from` (on the current line, or an earlier one given explicitly). */
  private rangeFrom(fromLine: number, fromChar: number, toIndex: number): Range {
    return {
      start: { line: fromLine + this.lineOffset, character: fromChar },
      end: { line: this.line + this.lineOffset, character: toIndex - this.lineStart },
    };
  }

  private push(kind: TokenKind, text: string, from: number, to: number, value?: number | bigint | string): Token {
    const token: Token = { kind, text, range: this.rangeFrom(this.line, from - this.lineStart, to) };
    if (value !== undefined) token.value = value;
    this.tokens.push(token);
    if (kind !== 'newline' && kind !== 'indent' && kind !== 'dedent' && kind !== 'eof') this.lineHasTokens = true;
    return token;
  }

  private error(message: string, from: number, to: number): void {
    this.errors.push({ message, range: this.rangeFrom(this.line, from - this.lineStart, to) });
  }

  // ---- indentation ----------------------------------------------------------------------

  /**
   * At the start of a line outside brackets: measure indentation and emit INDENT/DEDENT.
   * Blank and comment-only lines are left to the main loop, which emits nothing for them.
   */
  private handleIndentation(): void {
    const start = this.pos;
    let p = this.pos;
    let tabs = 0;
    let spaces = 0;
    while (p < this.src.length && (this.src[p] === '\t' || this.src[p] === ' ')) {
      if (this.src[p] === '\t') tabs++;
      else spaces++;
      p++;
    }
    // Skip blank and comment-only lines.
    let q = p;
    while (q < this.src.length && (this.src[q] === '\r' || this.src[q] === '\f' || this.src[q] === '\v')) q++;
    if (q >= this.src.length || this.src[q] === '\n' || this.src[q] === '#') {
      this.pos = p;
      return;
    }
    this.pos = p;
    if (tabs > 0 && spaces > 0) {
      this.error('Mixed use of tabs and spaces for indentation.', start, p);
    } else if (tabs > 0 || spaces > 0) {
      const used: '\t' | ' ' = tabs > 0 ? '\t' : ' ';
      if (this.indentChar === undefined) {
        this.indentChar = used;
      } else if (this.indentChar !== used) {
        const [now, before] = used === '\t' ? ['tab', 'space'] : ['space', 'tab'];
        this.error(`Used ${now} character for indentation instead of ${before} as used before in the file.`, start, p);
      }
    }
    const width = tabs + spaces;
    // The body of a multi-line lambda inside brackets ends at a line indented no deeper than its header.
    for (let block = this.lambdaBlocks[this.lambdaBlocks.length - 1]; block; block = this.lambdaBlocks[this.lambdaBlocks.length - 1]) {
      const floor = this.indentStack[block.stackLength];
      if (width > floor) break;
      this.endLambdaBlock(p);
      if (this.bracketDepth > 0) return;
    }
    const top = this.indentStack[this.indentStack.length - 1];
    if (width > top) {
      this.indentStack.push(width);
      this.push('indent', '', p, p);
    } else if (width < top) {
      while (this.indentStack.length > 1 && width < this.indentStack[this.indentStack.length - 1]) {
        this.indentStack.pop();
        this.push('dedent', '', p, p);
      }
      if (width !== this.indentStack[this.indentStack.length - 1]) {
        this.error("Unindent doesn't match the previous indentation level.", start, p);
        this.indentStack.push(width); // recover: treat this width as a new level
        this.push('indent', '', p, p);
      }
    }
  }

  /** Ends the innermost multi-line lambda body: NEWLINE, DEDENTs down to its header, back inside the brackets. */
  private endLambdaBlock(at: number): void {
    const block = this.lambdaBlocks.pop();
    if (!block) return;
    if (this.lineHasTokens) {
      this.push('newline', '', at, at);
      this.lineHasTokens = false;
    }
    while (this.indentStack.length > block.stackLength + 1) {
      this.indentStack.pop();
      this.push('dedent', '', at, at);
    }
    this.indentStack.length = block.stackLength;
    this.bracketDepth = block.outerDepth;
  }

  /** Indentation width of the current line. */
  private currentLineIndent(): number {
    let p = this.lineStart;
    while (p < this.src.length && (this.src[p] === ' ' || this.src[p] === '\t')) p++;
    return p - this.lineStart;
  }

  /** After the ":" of a lambda header inside brackets: if the line ends here, read the body as a block. */
  private maybeStartLambdaBlock(): void {
    let p = this.pos;
    while (p < this.src.length && (this.src[p] === ' ' || this.src[p] === '\t' || this.src[p] === '\r')) p++;
    if (p < this.src.length && this.src[p] === '#') while (p < this.src.length && this.src[p] !== '\n') p++;
    if (p < this.src.length && this.src[p] !== '\n') return; // single-line lambda
    const header = Math.max(this.currentLineIndent(), this.indentStack[this.indentStack.length - 1]);
    this.lambdaBlocks.push({ outerDepth: this.bracketDepth, stackLength: this.indentStack.length });
    this.indentStack.push(header);
    this.bracketDepth = 0;
  }

  private lineContinuation(): void {
    const start = this.pos;
    let p = this.pos + 1;
    while (p < this.src.length && (this.src[p] === ' ' || this.src[p] === '\t' || this.src[p] === '\r')) p++;
    if (p < this.src.length && this.src[p] === '\n') {
      this.pos = p;
      this.newLine();
      return;
    }
    this.pos++;
    this.error('Expected new line after "\\".', start, start + 1);
  }

  // ---- tokens ---------------------------------------------------------------------------

  private scanToken(): void {
    const src = this.src;
    const start = this.pos;
    const c = src[start];
    const next = src[start + 1] ?? '';

    if (isDigit(c) || (c === '.' && isDigit(next))) {
      this.scanNumber();
      return;
    }
    if (c === '"' || c === "'") {
      this.scanString(start, 'string', start);
      return;
    }
    if ((c === '&' || c === '^') && (next === '"' || next === "'")) {
      this.scanString(start, c === '&' ? 'string_name' : 'node_path', start + 1);
      return;
    }
    if (c === 'r' && (next === '"' || next === "'")) {
      this.scanString(start, 'string', start + 1, true);
      return;
    }
    if (isIdentStart(c)) {
      let p = start + 1;
      while (p < src.length && isAsciiIdentPart(src.charCodeAt(p))) p++;
      while (p < src.length && isIdentPart(src[p])) p++; // non-ASCII letters and digits
      const word = src.slice(start, p);
      this.pos = p;
      this.push(KEYWORDS.has(word) ? 'keyword' : 'identifier', word, start, p);
      if (word === 'func' && this.bracketDepth > 0) this.pendingLambda = { depth: this.bracketDepth, paramsClosed: false };
      return;
    }
    if (c === '@') {
      let p = start + 1;
      if (p < src.length && isIdentStart(src[p])) {
        while (p < src.length && isIdentPart(src[p])) p++;
        this.pos = p;
        this.push('annotation', src.slice(start, p), start, p);
      } else {
        this.pos = p;
        this.error('Expected annotation name after "@".', start, p);
      }
      return;
    }
    for (const op of OPERATORS_BY_FIRST.get(c) ?? []) {
      if (op.length === 1 || src.startsWith(op, start)) {
        // A closing bracket or a comma at the level of a multi-line lambda body ends that body.
        while ((CLOSING.has(op) || op === ',') && this.bracketDepth === 0 && this.lambdaBlocks.length > 0) {
          this.endLambdaBlock(start);
        }
        this.pos = start + op.length;
        if (OPENING.has(op)) this.bracketDepth++;
        else if (CLOSING.has(op) && this.bracketDepth > 0) this.bracketDepth--;
        this.push('operator', op, start, this.pos);
        this.trackLambdaHeader(op);
        return;
      }
    }
    const cp = src.codePointAt(start) ?? 0;
    const ch = String.fromCodePoint(cp);
    this.pos = start + ch.length;
    this.error(`Invalid character "${ch}" (U+${cp.toString(16).toUpperCase().padStart(4, '0')}).`, start, this.pos);
  }

  private trackLambdaHeader(op: string): void {
    const pending = this.pendingLambda;
    if (!pending) return;
    if (op === ')' && this.bracketDepth === pending.depth) {
      pending.paramsClosed = true;
    } else if (op === ':' && this.bracketDepth === pending.depth && pending.paramsClosed) {
      this.pendingLambda = undefined;
      this.maybeStartLambdaBlock();
    } else if (this.bracketDepth < pending.depth || (this.bracketDepth === pending.depth && (op === ',' || op === '='))) {
      this.pendingLambda = undefined;
    }
  }

  private scanNumber(): void {
    const src = this.src;
    const start = this.pos;
    let p = start;
    const digitsWhile = (ok: (ch: string) => boolean): void => {
      while (p < src.length && (ok(src[p]) || (src[p] === '_' && p > start))) p++;
    };
    if (src[p] === '0' && (src[p + 1] === 'x' || src[p + 1] === 'X')) {
      p += 2;
      const digitsStart = p;
      digitsWhile(isHexDigit);
      this.pos = p;
      const digits = src.slice(digitsStart, p).replace(/_/g, '');
      if (digits.length === 0) this.error('Invalid hexadecimal number.', start, p);
      this.push('int', src.slice(start, p), start, p, digits.length ? parseIntBig(digits, 16) : 0);
      return;
    }
    if (src[p] === '0' && (src[p + 1] === 'b' || src[p + 1] === 'B')) {
      p += 2;
      const digitsStart = p;
      digitsWhile((ch) => ch === '0' || ch === '1');
      this.pos = p;
      const digits = src.slice(digitsStart, p).replace(/_/g, '');
      if (digits.length === 0) this.error('Invalid binary number.', start, p);
      this.push('int', src.slice(start, p), start, p, digits.length ? parseIntBig(digits, 2) : 0);
      return;
    }
    let isFloat = false;
    digitsWhile(isDigit);
    if (src[p] === '.' && src[p + 1] !== '.' && !isIdentStart(src[p + 1] ?? '')) {
      isFloat = true;
      p++;
      digitsWhile(isDigit);
    } else if (src[p] === '.' && (src[p + 1] === 'e' || src[p + 1] === 'E') && /[0-9+-]/.test(src[p + 2] ?? '')) {
      isFloat = true; // 1.e5
      p++;
    }
    if ((src[p] === 'e' || src[p] === 'E') && (isDigit(src[p + 1] ?? '') || ((src[p + 1] === '+' || src[p + 1] === '-') && isDigit(src[p + 2] ?? '')))) {
      isFloat = true;
      p += src[p + 1] === '+' || src[p + 1] === '-' ? 2 : 1;
      while (p < src.length && (isDigit(src[p]) || src[p] === '_')) p++;
    }
    this.pos = p;
    const text = src.slice(start, p);
    const clean = text.replace(/_/g, '');
    if (isFloat) this.push('float', text, start, p, Number(clean));
    else this.push('int', text, start, p, parseIntBig(clean, 10));
  }

  /**
   * Scans a string literal. `start` is where the token starts (including a `&`, `^` or `r` prefix),
   * `quoteAt` is the index of the opening quote.
   */
  private scanString(start: number, kind: TokenKind, quoteAt: number, raw = false): void {
    const src = this.src;
    const quote = src[quoteAt];
    const triple = src.startsWith(quote.repeat(3), quoteAt);
    const startLine = this.line;
    const startChar = start - this.lineStart;
    let p = quoteAt + (triple ? 3 : 1);
    let out = '';
    let closed = false;
    if (!triple) {
      // The usual literal, without escapes: one slice instead of a character at a time.
      let q = p;
      while (q < src.length && src[q] !== quote && src[q] !== '\\' && src[q] !== '\n') q++;
      if (src[q] === quote) {
        out = src.slice(p, q);
        p = q + 1;
        closed = true;
      }
    }
    while (!closed && p < src.length) {
      const c = src[p];
      if (triple ? src.startsWith(quote.repeat(3), p) : c === quote) {
        p += triple ? 3 : 1;
        closed = true;
        break;
      }
      if (c === '\n') {
        if (!triple) break;
        out += c;
        p++;
        this.line++;
        this.lineStart = p;
        continue;
      }
      if (c === '\\' && !raw) {
        const e = src[p + 1] ?? '';
        if (Object.prototype.hasOwnProperty.call(SIMPLE_ESCAPES, e)) {
          out += SIMPLE_ESCAPES[e];
          p += 2;
        } else if (e === 'u' || e === 'U') {
          const len = e === 'u' ? 4 : 6;
          const hex = src.slice(p + 2, p + 2 + len);
          if (hex.length === len && [...hex].every(isHexDigit)) {
            const cp = parseInt(hex, 16);
            if (cp <= 0x10ffff) out += e === 'u' ? String.fromCharCode(cp) : String.fromCodePoint(cp);
            else this.error('Invalid Unicode escape sequence.', p, p + 2 + len);
            p += 2 + len;
          } else {
            this.error(`Invalid hexadecimal digit in unicode escape sequence.`, p, p + 2);
            p += 2;
          }
        } else if (e === '\n') {
          p += 2; // escaped line break: continue the string on the next line
          this.line++;
          this.lineStart = p;
        } else if (e === '\r' && src[p + 2] === '\n') {
          p += 3;
          this.line++;
          this.lineStart = p;
        } else {
          this.error('Invalid escape in string.', p, p + 2);
          p += 2;
        }
        continue;
      }
      if (raw && c === '\\' && (src[p + 1] === quote || src[p + 1] === '\\')) {
        out += c + src[p + 1];
        p += 2;
        continue;
      }
      out += c;
      p++;
    }
    this.pos = p;
    if (!closed) {
      this.errors.push({ message: 'Unterminated string.', range: this.rangeFrom(startLine, startChar, p) });
    }
    const token: Token = { kind, text: src.slice(start, p), value: out, range: this.rangeFrom(startLine, startChar, p) };
    this.tokens.push(token);
    this.lineHasTokens = true;
  }
}

/** Parses an integer literal, wrapping to 64 bits like Godot: a number when safe, else a bigint. */
function parseIntBig(digits: string, radix: 2 | 10 | 16): number | bigint {
  // Short literals are exact as doubles: no BigInt needed.
  if (digits.length <= (radix === 10 ? 15 : radix === 16 ? 13 : 52)) return parseInt(digits, radix);
  const prefix = radix === 16 ? '0x' : radix === 2 ? '0b' : '';
  return intFromBig(BigInt(prefix + digits));
}
