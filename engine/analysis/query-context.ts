// What the editor queries share: the analysis unit at a position, the scope there (also on a line being
// typed, which the parser skipped), the type of an expression written before the cursor, and the
// members a type offers.

import { parse } from '../gdscript';
import type { Position, Range } from '../gdscript/range';
import { findClass, membersOf, type MemberInfo } from '../godot/class-data';
import type { DocumentLanguage } from '../sandbox/document';
import { documentAnalysis, documentAnalysisWhileTyping, isGeneratedFunction, unitAt, type DocumentAnalysis, type ScriptUnit } from './analyze-document';
import { builtinMethods, type BuiltinCallable } from './builtin-members';
import type { Scope, ScriptClass, ScriptSymbol } from './symbols';
import { VARIANT, type GdType } from './types';

export interface QueryContext {
  doc: DocumentAnalysis;
  unit: ScriptUnit;
  position: Position;
  /** The position's line (from the text queried, which may be newer than the analysis), and its part before the position. */
  line: string;
  prefix: string;
}

/**
 * `whileTyping` (completion, signature help): an analysis of a version of the text that differs only in
 * the position's line will do (see documentAnalysisWhileTyping); the line itself is read from `text`.
 */
export function queryContext(text: string, language: DocumentLanguage, position: Position, whileTyping = false): QueryContext | undefined {
  const doc = whileTyping ? documentAnalysisWhileTyping(text, language, position) : documentAnalysis(text, language);
  // A line typed after a unit's last line (and any blank lines) belongs to it.
  let unit = unitAt(doc, position);
  for (let line = position.line - 1; !unit && line >= 0; line--) {
    unit = unitAt(doc, { line, character: 0 });
    if (!unit && (doc.lines[line] ?? '').trim() !== '') break;
  }
  if (!unit) return undefined;
  const line = (doc.text === text ? doc.lines : text.split(/\r?\n/, position.line + 1))[position.line] ?? '';
  return { doc, unit, position, line, prefix: line.slice(0, position.character) };
}

export function contains(range: Range, p: Position): boolean {
  const afterStart = p.line > range.start.line || (p.line === range.start.line && p.character >= range.start.character);
  const beforeEnd = p.line < range.end.line || (p.line === range.end.line && p.character <= range.end.character);
  return afterStart && beforeEnd;
}

/** The innermost script class whose declaration contains the position. */
export function classAt(root: ScriptClass, p: Position): ScriptClass {
  for (const inner of root.inner) if (contains(inner.range, p)) return classAt(inner, p);
  return root;
}

/**
 * The scope at a position: the innermost block containing it, or, on a line after a block's last statement
 * (a line being typed that does not parse yet), the innermost block that ends on the last code line above it.
 */
export function scopeAt(ctx: QueryContext): Scope {
  const { unit, position, doc } = ctx;
  const { scopes, root } = unit.analysis;
  let best: Scope | undefined;
  for (const s of scopes) if (contains(s.range, position) && (!best || contains(best.range, s.range.start))) best = s;
  if (!best && /^\s+/.test(ctx.line)) {
    let last = position.line - 1;
    while (last >= 0 && /^\s*(#.*)?$/.test(doc.lines[last] ?? '')) last--;
    const lastIndent = indentWidth(doc.lines[last] ?? '');
    const here = indentWidth(ctx.line) || ctx.prefix.length;
    for (const s of scopes) {
      if (s.range.start.line > position.line || s.range.end.line !== last) continue;
      // A block holds the new line if the line is indented deeper than the block's header.
      const headerIndent = indentWidth(doc.lines[s.range.start.line] ?? '');
      if (here <= headerIndent && !(here >= lastIndent && s.range.start.line === last)) continue;
      if (!best || s.range.start.line > best.range.start.line || (s.range.start.line === best.range.start.line && s.range.start.character >= best.range.start.character)) best = s;
    }
  }
  return best ?? { range: root.range, symbols: [], cls: classAt(root, position) };
}

function indentWidth(line: string): number {
  return /^[ \t]*/.exec(line)![0].replace(/\t/g, '    ').length;
}

/** The locals visible at the position, innermost first (each name once). */
export function visibleLocals(scope: Scope, p: Position): ScriptSymbol[] {
  const out: ScriptSymbol[] = [];
  const seen = new Set<string>();
  for (let s: Scope | undefined = scope; s; s = s.parent) {
    for (let i = s.symbols.length - 1; i >= 0; i--) {
      const symbol = s.symbols[i];
      const declaredBefore = symbol.nameRange.start.line < p.line || (symbol.nameRange.start.line === p.line && symbol.nameRange.end.character <= p.character);
      if (!declaredBefore || seen.has(symbol.name)) continue;
      seen.add(symbol.name);
      out.push(symbol);
    }
  }
  return out;
}

/**
 * The type of an expression that ends at `end` on the cursor's line (`peer`, `get_tree().create_timer(1)`),
 * evaluated in the scope there.
 */
export function typeOfText(ctx: QueryContext, expression: string, start: Position): GdType {
  const source = `func __dtls_lab_query():\n${' '.repeat(Math.max(1, start.character))}${expression}\n`;
  const parsed = parse(source, { lineOffset: start.line - 1, check: false });
  const fn = parsed.script.members[0];
  const statement = fn?.kind === 'Function' ? fn.body[0] : undefined;
  if (parsed.errors.length > 0 || statement?.kind !== 'Expression') return VARIANT;
  return ctx.unit.analysis.typeIn(statement.expression, scopeAt(ctx));
}

/** `a.b().c` written right before `.` (or before `(`): the expression's text and where it starts, or undefined. */
export function expressionBefore(text: string): { expression: string; start: number } | undefined {
  let i = text.length;
  let depth = 0;
  while (i > 0) {
    const ch = text[i - 1];
    if (depth > 0) {
      if (ch === ')' || ch === ']') depth++;
      else if (ch === '(' || ch === '[') depth--;
      else if (ch === '"' || ch === "'") {
        // skip a string inside the arguments
        const open = text.lastIndexOf(ch, i - 2);
        if (open < 0) return undefined;
        i = open;
        continue;
      }
      i--;
      continue;
    }
    if (ch === ')' || ch === ']') depth++;
    else if (!/[\w.]/.test(ch)) break;
    i--;
  }
  const expression = text.slice(i);
  if (depth > 0 || !/^[A-Za-z_]/.test(expression) || expression.endsWith('.') || /\.\./.test(expression)) return undefined;
  return { expression, start: i };
}

/** A member a value of some type offers, for completion and signature help. */
export type OfferedMember =
  | { kind: 'script'; symbol: ScriptSymbol }
  | { kind: 'native'; member: MemberInfo }
  | { kind: 'builtin'; method: BuiltinCallable }
  | { kind: 'enum-value'; name: string; owner: string; enumName: string }
  | { kind: 'constructor'; className: string };

export function membersOfType(t: GdType): OfferedMember[] {
  const out: OfferedMember[] = [];
  const native = (className: string, statics: boolean) => {
    const info = findClass(className);
    for (const m of membersOf(className)) {
      if (m.kind === 'virtual' || m.kind === 'removed') continue;
      if (statics && !info?.singleton && m.kind !== 'constant' && m.kind !== 'enum' && !(m.kind === 'method' && m.static)) continue;
      out.push({ kind: 'native', member: m });
    }
  };
  switch (t.kind) {
    case 'object':
      native(t.className, false);
      break;
    case 'class-ref':
      if (findClass(t.className)?.instantiable) out.push({ kind: 'constructor', className: t.className });
      native(t.className, true);
      break;
    case 'script':
    case 'script-class-ref':
      for (let c: ScriptClass | undefined = t.cls; c; c = c.scriptBase)
        for (const symbol of c.members.values()) {
          if (t.kind === 'script-class-ref' && !(symbol.isStatic || symbol.kind === 'enum' || symbol.kind === 'class' || symbol.kind === 'constant' || symbol.kind === 'enum-value')) continue;
          if (isGeneratedFunction(symbol.name)) continue;
          out.push({ kind: 'script', symbol });
        }
      if (t.kind === 'script-class-ref') out.push({ kind: 'constructor', className: t.cls.name });
      if (!t.cls.unknownBase) native(t.cls.nativeBase, t.kind === 'script-class-ref');
      break;
    case 'builtin':
      for (const method of builtinMethods(t) ?? []) out.push({ kind: 'builtin', method });
      break;
    case 'enum-ref':
      for (const name of t.values) out.push({ kind: 'enum-value', name, owner: t.owner, enumName: t.name });
      break;
    default:
      break;
  }
  return out;
}

export function memberName(m: OfferedMember): string {
  switch (m.kind) {
    case 'script': return m.symbol.name;
    case 'native': return m.member.name;
    case 'builtin': return m.method.name;
    case 'enum-value': return m.name;
    case 'constructor': return 'new';
  }
}

