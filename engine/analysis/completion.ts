// Completion on code being typed: after `.` the members of the inferred type (`peer.` → PacketPeerDTLS's
// methods; `PacketPeerDTLS.` → its constants, enums and static methods); elsewhere the names in scope,
// the class's members, Godot classes, builtin types, global functions and constants and keywords; after
// `extends`, `:` or `->` type names; in a `# @dtls` line the annotation's roles and options.

import type { Position } from '../gdscript/range';
import { allClasses, membersOf, type MemberInfo, type VirtualInfo } from '../godot/class-data';
import { GLOBAL_CONSTANTS } from '../gdscript/globals';
import { OPTION_KEYS, STATUS_NAMES } from '../sandbox/options';
import type { DocumentLanguage } from '../sandbox/document';
import { utilityFunctionNames, utilityFunction } from './builtin-members';
import { isGeneratedFunction } from './analyze-document';
import { describeClass, describeNative } from './hover';
import { expressionBefore, membersOfType, queryContext, scopeAt, typeOfText, visibleLocals, type OfferedMember, type QueryContext } from './query-context';
import type { ScriptClass, ScriptSymbol } from './symbols';
import { BUILTIN_TYPE_NAMES, isKnown, typeToString } from './types';

export interface CompletionEntry {
  label: string;
  kind: 'method' | 'property' | 'constant' | 'enum' | 'signal' | 'class' | 'keyword' | 'variable' | 'function' | 'parameter' | 'annotation' | 'snippet';
  detail?: string;
  documentation?: string;
  insertText?: string;
  sortText?: string;
}

const KEYWORDS = [
  'and', 'as', 'assert', 'await', 'break', 'breakpoint', 'class', 'class_name', 'const', 'continue', 'elif', 'else', 'enum', 'extends',
  'false', 'for', 'func', 'if', 'in', 'is', 'match', 'not', 'null', 'or', 'pass', 'return', 'self', 'signal', 'static', 'super',
  'true', 'var', 'void', 'when', 'while',
];

const ANNOTATIONS = ['export', 'onready', 'tool', 'icon', 'static_unload', 'rpc', 'warning_ignore', 'export_range', 'export_enum', 'export_file', 'export_multiline'];

export function completionsAt(text: string, language: DocumentLanguage, position: Position): CompletionEntry[] {
  const line = (text.split(/\r?\n/, position.line + 1)[position.line] ?? '').slice(0, position.character);
  const annotation = /^\s*#\s*@dtls\b(.*)$/.exec(line);
  if (annotation) return annotationCompletions(annotation[1]);
  if (/^\s*#\s*@?\w*$/.test(line) && /@/.test(line)) return [{ label: '@dtls server', kind: 'snippet', insertText: 'dtls server', detail: 'start a DTLS server snippet' }, { label: '@dtls client', kind: 'snippet', insertText: 'dtls client', detail: 'start a DTLS client snippet' }];
  if (inCommentOrString(line)) return [];
  const ctx = queryContext(text, language, position, true);
  if (!ctx) return [];
  const member = /\.\s*(\w*)$/.exec(line);
  if (member) {
    const before = expressionBefore(line.slice(0, member.index).trimEnd());
    if (!before) return [];
    const type = typeOfText(ctx, before.expression, { line: position.line, character: before.start });
    return membersOfType(type).map((m) => memberEntry(m, type.kind === 'class-ref' || type.kind === 'script-class-ref'));
  }
  if (/^\s*@\w*$/.test(line)) return ANNOTATIONS.map((a) => ({ label: `@${a}`, kind: 'annotation', insertText: a }));
  if (/^\s*(static\s+)?func\s+\w*$/.test(line)) return overridable(ctx);
  if (/(\bextends\s+|\b(var|const)\s+\w+\s*:\s*|->\s*|\b(as|is)\s+|\bfunc\s+\w+\([^)]*:\s*)\w*$/.test(line)) return typeEntries(ctx);
  return scopeEntries(ctx);
}

function inCommentOrString(line: string): boolean {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '#') return true;
  }
  return quote !== undefined;
}

function annotationCompletions(rest: string): CompletionEntry[] {
  const words = rest.trim().split(/\s+/).filter(Boolean);
  const typing = /\s$/.test(rest) || rest === '' ? '' : words.pop() ?? '';
  const value = /^(\w+)=(.*)$/.exec(typing);
  if (value) return optionValues(value[1]).map((v) => ({ label: v, kind: 'constant' }));
  if (words.length === 0) return ['server', 'client'].map((r) => ({ label: r, kind: 'keyword', detail: `a ${r} snippet` }));
  if (words[0] === 'expect')
    return [
      { label: 'status=', kind: 'property', detail: 'final PacketPeerDTLS status', documentation: STATUS_NAMES.join(', ') },
      { label: 'print=', kind: 'property', detail: 'a line the peer printed', insertText: 'print=""' },
      { label: 'error=', kind: 'property', detail: 'text of some problem of the run', insertText: 'error=""' },
      { label: 'handshake<', kind: 'property', detail: 'handshake completed within N ms', insertText: 'handshake<1000ms' },
    ];
  const used = new Set(words.map((w) => w.split('=')[0]));
  const entries: CompletionEntry[] = [];
  if (words.length === 1 && (words[0] === 'server' || words[0] === 'client')) {
    entries.push({ label: 'part', kind: 'keyword', detail: `members merged into the ${words[0]} snippet` });
    entries.push({ label: 'expect', kind: 'keyword', detail: 'checks after the run' });
  }
  const keys = words[1] === 'part' ? ['pair', 'call'] : OPTION_KEYS.filter((k) => !(k === 'pair' && words[0] === 'server'));
  for (const key of keys) if (!used.has(key)) entries.push({ label: `${key}=`, kind: 'property', detail: OPTION_DETAILS[key] });
  return entries;
}

const OPTION_DETAILS: Record<string, string> = {
  name: "the peer's name", pair: 'the server snippet to pair with', link: 'virtual or udp', loss: 'share of datagrams lost, e.g. 30%',
  delay: 'one-way delay in ms', jitter: 'extra random delay in ms', duplicate: 'share of datagrams delivered twice',
  reorder: 'share of datagrams overtaken', mtu: 'largest datagram in bytes', bandwidth: 'e.g. 1mbit', seed: "seed of the link's random choices",
  timeout: 'run time limit in ms', port: 'the port the snippet uses', call: 'an expression run once CONNECTED, e.g. send_data("hi")',
};

function optionValues(key: string): string[] {
  switch (key) {
    case 'link': return ['virtual', 'udp'];
    case 'status': return ['CONNECTED', 'HANDSHAKING', 'DISCONNECTED', 'ERROR', 'ERROR_HOSTNAME_MISMATCH'];
    default: return [];
  }
}

function memberEntry(m: OfferedMember, onClass: boolean): CompletionEntry {
  switch (m.kind) {
    case 'script':
      return symbolEntry(m.symbol);
    case 'native':
      return nativeEntry(m.member);
    case 'builtin':
      return { label: m.method.name, kind: 'method', detail: `${typeToString(m.method.returns)} ${m.method.name}(…)`, insertText: m.method.max === 0 ? `${m.method.name}()` : undefined };
    case 'enum-value':
      return { label: m.name, kind: 'constant', detail: `${m.owner === '@GlobalScope' ? '' : `${m.owner}.`}${m.enumName}` };
    case 'constructor':
      return { label: 'new', kind: 'method', detail: `${m.className} new()`, insertText: onClass ? 'new()' : undefined, sortText: '0new' };
  }
}

function nativeEntry(m: MemberInfo): CompletionEntry {
  const kind: CompletionEntry['kind'] =
    m.kind === 'method' || m.kind === 'virtual' ? 'method' : m.kind === 'removed' ? 'method' : m.kind;
  const detail = 'signature' in m ? m.signature : m.kind === 'enum' ? `enum ${m.name}` : m.name;
  const constantValue = m.kind === 'constant' ? ` (= ${m.value})` : '';
  return {
    label: m.name,
    kind,
    detail: `${detail}${m.kind === 'constant' && !detail.includes('=') ? constantValue : ''}`,
    documentation: describeNative(m),
    insertText: m.kind === 'method' && m.params.length === 0 && !m.vararg ? `${m.name}()` : undefined,
    sortText: m.className.startsWith('@') ? `2${m.name}` : `1${m.name}`,
  };
}

function symbolEntry(s: ScriptSymbol): CompletionEntry {
  const kind: CompletionEntry['kind'] =
    s.kind === 'function' ? 'function' : s.kind === 'signal' ? 'signal' : s.kind === 'enum' ? 'enum' : s.kind === 'class' ? 'class'
      : s.kind === 'constant' || s.kind === 'local-constant' || s.kind === 'enum-value' ? 'constant' : s.kind === 'parameter' ? 'parameter' : 'variable';
  return {
    label: s.name,
    kind,
    detail: s.declaration || (isKnown(s.type) ? typeToString(s.type) : undefined),
    documentation: s.doc,
    insertText: s.kind === 'function' && s.fn && s.fn.params.length === 0 ? `${s.name}()` : undefined,
    sortText: `0${s.name}`,
  };
}

/** After `func `: the virtual callbacks of the script's Godot base (`_ready`, `_process`, …) not written yet. */
function overridable(ctx: QueryContext): CompletionEntry[] {
  const cls = scopeAt(ctx).cls;
  if (cls.unknownBase) return [];
  return membersOf(cls.nativeBase)
    .filter((m): m is VirtualInfo => m.kind === 'virtual' && !cls.members.has(m.name))
    .map((m) => {
      const params = m.params.map((p) => `${p.name}: ${p.type}`).join(', ');
      return {
        label: m.name, kind: 'function', detail: m.signature, documentation: m.description,
        insertText: `${m.name}(${params}) -> ${m.returns}:`, sortText: `0${m.name}`,
      };
    });
}

function typeEntries(ctx: QueryContext): CompletionEntry[] {
  const entries: CompletionEntry[] = [...BUILTIN_TYPE_NAMES].map((t) => ({ label: t, kind: 'class' as const, detail: 'built-in type', sortText: `1${t}` }));
  for (const c of allClasses()) if (!c.name.startsWith('@')) entries.push({ label: c.name, kind: 'class', detail: c.inherits ? `extends ${c.inherits}` : undefined, documentation: describeClass(c.name), sortText: `1${c.name}` });
  const cls = scopeAt(ctx).cls;
  for (let c: ScriptClass | undefined = cls; c; c = c.outer)
    for (const s of c.members.values()) if (s.kind === 'class' || s.kind === 'enum') entries.push(symbolEntry(s));
  entries.push({ label: 'Variant', kind: 'class', sortText: '1Variant' }, { label: 'void', kind: 'keyword', sortText: '1void' });
  return entries;
}

function scopeEntries(ctx: QueryContext): CompletionEntry[] {
  const scope = scopeAt(ctx);
  const seen = new Set<string>();
  const entries: CompletionEntry[] = [];
  const add = (e: CompletionEntry) => {
    if (seen.has(e.label)) return;
    seen.add(e.label);
    entries.push(e);
  };
  for (const s of visibleLocals(scope, ctx.position)) add(symbolEntry(s));
  for (let c: ScriptClass | undefined = scope.cls; c; c = c.outer)
    for (let b: ScriptClass | undefined = c; b; b = b.scriptBase)
      for (const s of b.members.values()) if (!isGeneratedFunction(s.name)) add(symbolEntry(s));
  if (!scope.cls.unknownBase) for (const m of membersOf(scope.cls.nativeBase)) if (m.kind !== 'removed') add(nativeEntry(m));
  for (const c of allClasses()) if (!c.name.startsWith('@')) add({ label: c.name, kind: 'class', detail: c.inherits ? `extends ${c.inherits}` : undefined, documentation: describeClass(c.name), sortText: `3${c.name}` });
  for (const t of BUILTIN_TYPE_NAMES) add({ label: t, kind: 'class', detail: 'built-in type', sortText: `3${t}` });
  for (const name of utilityFunctionNames()) add({ label: name, kind: 'function', detail: `${typeToString(utilityFunction(name)!.returns)} ${name}(…)`, sortText: `4${name}` });
  for (const scopeName of ['@GDScript', '@GlobalScope']) for (const m of membersOf(scopeName)) add(nativeEntry(m));
  for (const name of Object.keys(GLOBAL_CONSTANTS)) add({ label: name, kind: 'constant', sortText: `5${name}` });
  for (const k of KEYWORDS) add({ label: k, kind: 'keyword', sortText: `6${k}` });
  return entries;
}
