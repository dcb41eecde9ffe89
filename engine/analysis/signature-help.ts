// Signature help: inside the parentheses of a call, the called function's parameters and which one the
// cursor is on. Works on the line being typed (the call need not be complete).

import type { Position } from '../gdscript/range';
import { findGlobal, findMember, type MethodInfo } from '../godot/class-data';
import type { DocumentLanguage } from '../sandbox/document';
import { utilityFunction } from './builtin-members';
import { exprText, functionDeclaration, paramText, typeNodeText } from './declarations';
import { expressionBefore, membersOfType, memberName, queryContext, scopeAt, typeOfText, visibleLocals, type QueryContext } from './query-context';
import type { ScriptSymbol } from './symbols';
import { findScriptMember } from './symbols';
import { typeToString, type GdType } from './types';

export interface SignatureHelpResult {
  signatures: { label: string; documentation?: string; parameters: { label: string; documentation?: string }[] }[];
  activeSignature: number;
  activeParameter: number;
}

type Signature = SignatureHelpResult['signatures'][number];

export function signatureHelpAt(text: string, language: DocumentLanguage, position: Position): SignatureHelpResult | undefined {
  const ctx = queryContext(text, language, position, true);
  if (!ctx) return undefined;
  const open = openCall(ctx);
  if (!open) return undefined;
  const signature = signatureOf(ctx, open.callee, open.calleeStart);
  if (!signature) return undefined;
  const activeParameter = signature.parameters.length === 0 ? 0 : Math.min(open.commas, signature.parameters.length - 1);
  return { signatures: [signature], activeSignature: 0, activeParameter };
}

/** The unclosed `(` before the cursor on this line: the callee's text and the number of commas after it. */
function openCall(ctx: QueryContext): { callee: string; calleeStart: number; commas: number } | undefined {
  const text = ctx.prefix;
  let depth = 0;
  let commas = 0;
  let quote: string | undefined;
  const openings: { at: number; commas: number }[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '#') break;
    else if (ch === '(' || ch === '[' || ch === '{') {
      openings.push({ at: i, commas });
      depth++;
      commas = 0;
    } else if (ch === ')' || ch === ']' || ch === '}') {
      const last = openings.pop();
      depth--;
      commas = last?.commas ?? 0;
    } else if (ch === ',' && depth > 0) commas++;
  }
  const last = openings[openings.length - 1];
  if (!last || text[last.at] !== "(") return undefined;
  const before = expressionBefore(text.slice(0, last.at));
  if (!before) return undefined;
  return { callee: before.expression, calleeStart: before.start, commas };
}

function signatureOf(ctx: QueryContext, callee: string, start: number): Signature | undefined {
  const dot = callee.lastIndexOf('.');
  if (dot > 0) {
    const object = typeOfText(ctx, callee.slice(0, dot), { line: ctx.position.line, character: start });
    const name = callee.slice(dot + 1);
    return memberSignature(object, name);
  }
  const scope = scopeAt(ctx);
  const local = visibleLocals(scope, ctx.position).find((s) => s.name === callee);
  if (local) return undefined;
  for (let c: typeof scope.cls | undefined = scope.cls; c; c = c.outer) {
    const member = findScriptMember(c, callee);
    if (member?.kind === 'function') return scriptSignature(member);
  }
  if (!scope.cls.unknownBase) {
    const native = findMember(scope.cls.nativeBase, callee);
    if (native?.kind === 'method') return nativeSignature(native);
  }
  const utility = utilityFunction(callee);
  if (utility) {
    const label = `${callee}(${utility.max === Infinity ? '...' : Array.from({ length: utility.max }, (_, i) => `arg${i + 1}`).join(', ')})`;
    return { label, parameters: utility.max === Infinity ? [] : Array.from({ length: utility.max }, (_, i) => ({ label: `arg${i + 1}` })) };
  }
  const global = findGlobal(callee);
  if (global?.kind === 'method') return nativeSignature(global);
  return undefined;
}

function memberSignature(object: GdType, name: string): Signature | undefined {
  const member = membersOfType(object).find((m) => memberName(m) === name);
  if (!member) return undefined;
  switch (member.kind) {
    case 'native':
      return member.member.kind === 'method' ? nativeSignature(member.member) : undefined;
    case 'script':
      return member.symbol.kind === 'function' ? scriptSignature(member.symbol) : undefined;
    case 'builtin': {
      const m = member.method;
      const count = m.max === Infinity ? 0 : m.max;
      const parameters = Array.from({ length: count }, (_, i) => ({ label: `arg${i + 1}` }));
      return { label: `${typeToString(m.returns)} ${m.name}(${parameters.map((p) => p.label).join(', ')})`, parameters };
    }
    case 'constructor':
      if (object.kind === 'script-class-ref') {
        const init = findScriptMember(object.cls, '_init');
        if (init?.kind === 'function') return { ...scriptSignature(init), label: (init.fn ? functionDeclaration(init.fn, undefined) : 'new()').replace(/^func _init/, 'new') };
      }
      return { label: `${typeToString(object)} new()`, parameters: [] };
    default:
      return undefined;
  }
}

function nativeSignature(m: MethodInfo): Signature {
  return {
    label: m.signature,
    documentation: m.description,
    parameters: m.params.map((p) => ({ label: `${p.name}: ${p.type}${p.default !== undefined ? ` = ${p.default}` : ''}` })),
  };
}

function scriptSignature(symbol: ScriptSymbol): Signature {
  const fn = symbol.fn!;
  return {
    label: symbol.declaration || functionDeclaration(fn, fn.returnType ? typeNodeText(fn.returnType) : undefined),
    documentation: symbol.doc,
    parameters: fn.params.map((p) => ({ label: paramText(p), documentation: p.defaultValue ? `default: ${exprText(p.defaultValue)}` : undefined })),
  };
}
