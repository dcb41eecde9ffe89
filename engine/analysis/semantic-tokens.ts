// Semantic tokens: what each word of a GDScript text is (keyword, string, class, method, enum member…),
// for editors that colour code by meaning. The words come from the lexer; what a name refers to comes from
// the cached document analysis (analyze-document.ts: its occurrences and declared symbols), so names are
// coloured as the analyzer resolved them (a Godot class, a constant of the Godot API, a parameter), and
// Godot 3 spellings are marked deprecated. A .gd file is read whole; in Markdown, the ```gdscript fences.

import { isGlobalConstant } from '../gdscript/globals';
import { tokenize } from '../gdscript/lexer';
import type { Token } from '../gdscript/tokens';
import { findClass, type MemberInfo } from '../godot/class-data';
import { gdscriptFences, type DocumentLanguage } from '../sandbox/document';
import { documentAnalysis, type DocumentAnalysis } from './analyze-document';
import type { Occurrence } from './checker';
import { godot3Note, nativeMember } from './godot-api';
import type { ScriptClass, ScriptSymbol } from './symbols';
import { isBuiltinTypeName } from './types';

/** The token types, in the order of the language server's legend (LSP standard names). */
export const SEMANTIC_TOKEN_TYPES = [
  'keyword', 'string', 'number', 'comment', 'operator', 'function', 'method', 'variable', 'parameter',
  'property', 'class', 'enum', 'enumMember', 'type', 'decorator', 'event',
] as const;
/** The token modifiers, in the order of the legend (bit i of an LSP modifier set is modifier i). */
export const SEMANTIC_TOKEN_MODIFIERS = ['declaration', 'readonly', 'static', 'deprecated', 'defaultLibrary'] as const;

export type SemanticTokenType = (typeof SEMANTIC_TOKEN_TYPES)[number];
export type SemanticTokenModifier = (typeof SEMANTIC_TOKEN_MODIFIERS)[number];

/**
 * One token on one line (a multi-line string is one token per line). `character` and `length` in UTF-16 units.
 * Tokens are shared with a cache, and tokens of one kind share their `modifiers` list: do not modify them.
 */
export interface SemanticToken {
  line: number;
  character: number;
  length: number;
  type: SemanticTokenType;
  modifiers: SemanticTokenModifier[];
}

/** Godot 3 keywords the Godot 4 lexer reads as names (the parser reports them with their Godot 4 form). */
const GODOT3_KEYWORDS: ReadonlySet<string> = new Set([
  'tool', 'export', 'onready', 'setget', 'remote', 'master', 'puppet', 'slave', 'remotesync', 'sync', 'mastersync', 'puppetsync',
]);
/** Godot 4 keywords that are Godot 3 only. */
const GODOT3_ONLY_KEYWORDS: ReadonlySet<string> = new Set(['yield']);
/** Operators that are punctuation rather than operations: not coloured. */
const PUNCTUATION: ReadonlySet<string> = new Set(['(', ')', '[', ']', '{', '}', ',', ':', ';', '.', '->', '$']);

// Shared modifier lists (tokens are read-only to callers).
const NONE: SemanticTokenModifier[] = [];
const DEFAULT_LIBRARY: SemanticTokenModifier[] = ['defaultLibrary'];
const DEPRECATED: SemanticTokenModifier[] = ['deprecated'];

const key = (line: number, character: number): number => line * 0x10000 + character;

/** What the analysis of a document knows about the names at each position (by key(line, character)). */
interface NameIndex {
  occurrences: Map<number, Occurrence | Occurrence[]>;
  declared: Map<number, ScriptSymbol>;
  scriptClasses: Set<string>;
}

/** The tokens of the last few analysed texts (an editor asks for a range, then the whole document). */
const computed = new WeakMap<DocumentAnalysis, SemanticToken[]>();

/**
 * The semantic tokens of a document, in document order. `range`: only the tokens on lines
 * [range.start, range.end] (inclusive).
 */
export function semanticTokens(text: string, language: DocumentLanguage, range?: { start: number; end: number }): SemanticToken[] {
  const doc = documentAnalysis(text, language);
  let all = computed.get(doc);
  if (!all) {
    all = documentTokens(doc);
    computed.set(doc, all);
  }
  return range ? all.filter((t) => t.line >= range.start && t.line <= range.end) : all.slice();
}

function documentTokens(doc: DocumentAnalysis): SemanticToken[] {
  const index = nameIndex(doc);
  const regions = doc.language === 'markdown' ? gdscriptFences(doc.lines) : [{ start: 0, end: doc.lines.length }];
  const out: SemanticToken[] = [];
  const classifier = new Classifier(doc.lines, index);
  for (const region of regions) {
    const source = region.start === 0 && region.end === doc.lines.length ? doc.text : doc.lines.slice(region.start, region.end).join('\n');
    const tokens = tokenize(source, region.start).tokens;
    let gapLine = region.start;
    let gapCharacter = 0;
    // The tokens with text (not newline, indent, dedent, end of file), the last two kept for `a.b` and `A.new`.
    let before: Token | undefined;
    let previous: Token | undefined;
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i];
      if (t.kind === 'newline' || t.kind === 'indent' || t.kind === 'dedent' || t.kind === 'eof') continue;
      classifier.comments(gapLine, gapCharacter, t.range.start.line, t.range.start.character, out);
      classifier.token(t, previous, nextWithText(tokens, i), out, before);
      before = previous;
      previous = t;
      gapLine = t.range.end.line;
      gapCharacter = t.range.end.character;
    }
    classifier.comments(gapLine, gapCharacter, region.end - 1, Infinity, out);
  }
  return out;
}

function nextWithText(tokens: readonly Token[], i: number): Token | undefined {
  const next = tokens[i + 1];
  return next && next.kind !== 'newline' && next.kind !== 'indent' && next.kind !== 'dedent' && next.kind !== 'eof' ? next : undefined;
}

function nameIndex(doc: DocumentAnalysis): NameIndex {
  const index: NameIndex = { occurrences: new Map(), declared: new Map(), scriptClasses: new Set() };
  const visitClass = (cls: ScriptClass) => {
    if (cls.name !== 'self') index.scriptClasses.add(cls.name);
    for (const symbol of cls.members.values()) index.declared.set(key(symbol.nameRange.start.line, symbol.nameRange.start.character), symbol);
    for (const inner of cls.inner) visitClass(inner);
  };
  for (const unit of doc.units) {
    for (const o of unit.analysis.occurrences) {
      const k = key(o.range.start.line, o.range.start.character);
      const there = index.occurrences.get(k);
      if (there === undefined) index.occurrences.set(k, o);
      else if (Array.isArray(there)) there.push(o);
      else index.occurrences.set(k, [there, o]);
    }
    visitClass(unit.analysis.root);
  }
  return index;
}

/** Turns lexer tokens (and the comments between them) into semantic tokens. */
class Classifier {
  constructor(private readonly lines: readonly string[], private readonly index: NameIndex) {}

  /** A `#` comment in the text between two tokens (from line/character to line/character, exclusive). */
  comments(fromLine: number, fromCharacter: number, toLine: number, toCharacter: number, out: SemanticToken[]): void {
    for (let line = fromLine; line <= toLine; line++) {
      const text = this.lines[line] ?? '';
      const start = line === fromLine ? fromCharacter : 0;
      const end = line === toLine ? Math.min(toCharacter, text.length) : text.length;
      const hash = text.indexOf('#', start);
      if (hash < 0 || hash >= end) continue;
      const length = text.replace(/\r$/, '').length - hash;
      if (length > 0) out.push({ line, character: hash, length, type: 'comment', modifiers: NONE });
    }
  }

  /** `receiver`: the token before `previous` (the receiver of `.new()`). */
  token(t: Token, previous: Token | undefined, next: Token | undefined, out: SemanticToken[], receiver?: Token): void {
    switch (t.kind) {
      case 'keyword':
        return this.push(t, 'keyword', GODOT3_ONLY_KEYWORDS.has(t.text) ? DEPRECATED : NONE, out);
      case 'int':
      case 'float':
        return this.push(t, 'number', NONE, out);
      case 'string':
      case 'string_name':
      case 'node_path':
        return this.push(t, 'string', NONE, out);
      case 'annotation':
        return this.push(t, 'decorator', NONE, out);
      case 'operator':
        if (!PUNCTUATION.has(t.text)) this.push(t, 'operator', NONE, out);
        return;
      case 'identifier': {
        const afterDot = previous?.kind === 'operator' && previous.text === '.';
        const called = next?.kind === 'operator' && next.text === '(';
        const found = afterDot && receiver && t.text === 'new' ? this.constructorCall(receiver, out)
          : this.identifier(t, afterDot, called) ?? (afterDot && receiver ? this.unrecordedMember(t, receiver, out) : undefined)
            // A member of a value of unknown type (`session.id`, `p.poll()` on an untyped `p`): what the syntax says.
            ?? (afterDot ? [called ? 'method' : 'property', NONE] : undefined);
        if (found) this.push(t, found[0], found[1], out);
        return;
      }
      default:
        return;
    }
  }

  /** `Class.new()`: a method of the class (of the Godot API when the class is Godot's), whatever class. */
  private constructorCall(receiver: Token, out: readonly SemanticToken[]): [SemanticTokenType, SemanticTokenModifier[]] | undefined {
    const last = out[out.length - 1];
    if (!last || last.line !== receiver.range.start.line || last.character !== receiver.range.start.character || last.type !== 'class') return undefined;
    return ['method', last.modifiers.includes('defaultLibrary') ? DEFAULT_LIBRARY : NONE];
  }

  /**
   * A member the analysis does not record on a Godot class or on a variable of one: the Godot 3 members the
   * migrations report (`OS.get_ticks_msec()`, `udp.listen()`).
   */
  private unrecordedMember(t: Token, receiver: Token, out: readonly SemanticToken[]): [SemanticTokenType, SemanticTokenModifier[]] | undefined {
    const last = out[out.length - 1];
    const receiverShown = last && last.line === receiver.range.start.line && last.character === receiver.range.start.character;
    let className: string | undefined;
    if (receiverShown && last.type === 'class' && last.modifiers.includes('defaultLibrary')) className = receiver.text;
    else {
      this.gather(this.index.occurrences.get(key(receiver.range.start.line, receiver.range.start.character)));
      const symbol = this.seen.symbol;
      if (symbol?.type.kind === 'object') className = symbol.type.className;
    }
    if (!className) return undefined;
    const member = nativeMember(className, t.text);
    return member && (member.kind === 'removed' || member.godot3) ? ofNative(member, true) : undefined;
  }

  /** What the occurrences at a name say, gathered in one pass (reused: this runs for every name). */
  private readonly seen = { symbol: undefined as ScriptSymbol | undefined, native: undefined as MemberInfo | undefined, className: false, builtin: false, godot3: false };

  private gather(there: Occurrence | Occurrence[] | undefined): void {
    const seen = this.seen;
    seen.symbol = undefined;
    seen.native = undefined;
    seen.className = seen.builtin = seen.godot3 = false;
    if (there === undefined) return;
    const note = (o: Occurrence) => {
      seen.symbol ??= o.symbol;
      seen.native ??= o.native;
      seen.className ||= o.className !== undefined;
      seen.builtin ||= o.builtin !== undefined;
      seen.godot3 ||= o.godot3 !== undefined;
    };
    if (Array.isArray(there)) for (const o of there) note(o);
    else note(there);
  }

  private identifier(t: Token, afterDot: boolean, called: boolean): [SemanticTokenType, SemanticTokenModifier[]] | undefined {
    const at = key(t.range.start.line, t.range.start.character);
    this.gather(this.index.occurrences.get(at));
    const { native, className, builtin, godot3: deprecated } = this.seen;
    const symbol = this.seen.symbol ?? this.index.declared.get(at);
    let found: [SemanticTokenType, SemanticTokenModifier[]] | undefined;
    if (symbol) {
      const declaration = symbol.nameRange.start.line === t.range.start.line && symbol.nameRange.start.character === t.range.start.character;
      found = ofSymbol(symbol, declaration);
    } else if (native) found = ofNative(native, afterDot);
    else if (className) found = ['class', DEFAULT_LIBRARY];
    else if (builtin) found = [afterDot ? 'method' : 'function', DEFAULT_LIBRARY];
    else if (deprecated) return [guessType(t.text, called), DEPRECATED];
    if (found) return deprecated && !found[1].includes('deprecated') ? [found[0], [...found[1], 'deprecated']] : found;
    if (afterDot) return undefined; // a member the analysis could not resolve (see token())
    // Names the analysis does not record: types in annotations and `extends`, Godot 3 keywords, global constants.
    if (this.index.scriptClasses.has(t.text)) return ['class', NONE];
    if (findClass(t.text)) return ['class', DEFAULT_LIBRARY];
    if (isBuiltinTypeName(t.text)) return ['type', DEFAULT_LIBRARY];
    if (GODOT3_KEYWORDS.has(t.text)) return ['keyword', DEPRECATED];
    if (godot3Note(t.text)) return [guessType(t.text, called), DEPRECATED];
    if (isGlobalConstant(t.text)) return ['variable', ['readonly', 'defaultLibrary']];
    return undefined;
  }

  private push(t: Token, type: SemanticTokenType, modifiers: SemanticTokenModifier[], out: SemanticToken[]): void {
    const { start, end } = t.range;
    if (start.line === end.line) {
      if (end.character > start.character) out.push({ line: start.line, character: start.character, length: end.character - start.character, type, modifiers });
      return;
    }
    // A multi-line string: one token per line.
    for (let line = start.line; line <= end.line; line++) {
      const from = line === start.line ? start.character : 0;
      const to = line === end.line ? end.character : (this.lines[line] ?? '').replace(/\r$/, '').length;
      if (to > from) out.push({ line, character: from, length: to - from, type, modifiers });
    }
  }
}

function guessType(name: string, called: boolean): SemanticTokenType {
  if (/^[A-Z][a-z]/.test(name)) return 'class'; // PoolByteArray, also as a constructor call
  if (called) return 'function';
  return /^[A-Z_0-9]+$/.test(name) ? 'enumMember' : 'variable';
}

function ofSymbol(s: ScriptSymbol, declaration: boolean): [SemanticTokenType, SemanticTokenModifier[]] {
  const modifiers: SemanticTokenModifier[] = [];
  if (declaration) modifiers.push('declaration');
  if (s.kind === 'constant' || s.kind === 'local-constant' || s.kind === 'enum-value') modifiers.push('readonly');
  if (s.isStatic && s.kind !== 'enum-value') modifiers.push('static');
  return [SYMBOL_TYPES[s.kind], modifiers];
}

const SYMBOL_TYPES: Record<ScriptSymbol['kind'], SemanticTokenType> = {
  variable: 'property', constant: 'variable', function: 'function', signal: 'event', enum: 'enum', 'enum-value': 'enumMember',
  class: 'class', parameter: 'parameter', 'local-variable': 'variable', 'local-constant': 'variable', 'for-variable': 'variable',
  'pattern-binding': 'variable',
};

function ofNative(m: MemberInfo, afterDot: boolean): [SemanticTokenType, SemanticTokenModifier[]] {
  const modifiers: SemanticTokenModifier[] = ['defaultLibrary'];
  if (m.godot3 || m.kind === 'removed') modifiers.push('deprecated');
  switch (m.kind) {
    case 'method':
    case 'removed':
      if (m.static) modifiers.push('static');
      return [afterDot || !m.className.startsWith('@') ? 'method' : 'function', modifiers];
    case 'virtual':
      return ['method', modifiers];
    case 'property':
      return ['property', modifiers];
    case 'constant':
      modifiers.push('readonly');
      return [m.enum ? 'enumMember' : 'variable', modifiers];
    case 'enum':
      return ['enum', modifiers];
    case 'signal':
      return ['event', modifiers];
  }
}
