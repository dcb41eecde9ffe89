// Hover: what the name under the cursor is. Godot API members show their signature, the lab's short
// description, the Godot 3 spelling when it changed and, for constants, their value; the script's own
// symbols show their declaration and inferred type.

import type { Position, Range } from '../gdscript/range';
import { findClass, type MemberInfo } from '../godot/class-data';
import type { DocumentLanguage } from '../sandbox/document';
import type { Occurrence } from './checker';
import { contains, queryContext } from './query-context';
import type { ScriptClass, ScriptSymbol } from './symbols';
import { isKnown, typeToString } from './types';

export interface HoverResult {
  range: Range;
  markdown: string;
}

export function hoverAt(text: string, language: DocumentLanguage, position: Position): HoverResult | undefined {
  const ctx = queryContext(text, language, position);
  if (!ctx) return undefined;
  const occurrence = occurrenceAt(ctx.unit.analysis.occurrences, position);
  if (occurrence) {
    const markdown = describeOccurrence(occurrence);
    return markdown ? { range: occurrence.range, markdown } : undefined;
  }
  const declared = declarationAt(ctx.unit.analysis.root, position);
  return declared ? { range: declared.nameRange, markdown: describeSymbol(declared) } : undefined;
}

/** The innermost recorded name at the position. */
export function occurrenceAt(occurrences: readonly Occurrence[], position: Position): Occurrence | undefined {
  let best: Occurrence | undefined;
  for (const o of occurrences) {
    if (!contains(o.range, position)) continue;
    if (!best || contains(best.range, o.range.start)) best = o;
  }
  return best;
}

/** A class member whose declared name is at the position (member names are not occurrences). */
export function declarationAt(cls: ScriptClass, position: Position): ScriptSymbol | undefined {
  for (const symbol of cls.members.values()) if (contains(symbol.nameRange, position)) return symbol;
  for (const inner of cls.inner) {
    const found = declarationAt(inner, position);
    if (found) return found;
  }
  return undefined;
}

function describeOccurrence(o: Occurrence): string | undefined {
  if (o.symbol) return describeSymbol(o.symbol);
  if (o.native) return describeNative(o.native);
  if (o.className) return describeClass(o.className);
  if (o.godot3) return `Godot 3: \`${o.godot3.godot3}\` → Godot 4: \`${o.godot3.godot4}\``;
  if (o.builtin) {
    const args = o.builtin.max === Infinity ? '...' : o.builtin.min === o.builtin.max ? `${o.builtin.min} argument${o.builtin.min === 1 ? '' : 's'}` : `${o.builtin.min} to ${o.builtin.max} arguments`;
    return `${code(`${typeToString(o.builtin.returns)} ${o.builtin.name}(…)`)}\n\nBuilt-in function (${args}).`;
  }
  return undefined;
}

function describeSymbol(s: ScriptSymbol): string {
  const parts = [code(s.declaration || s.name)];
  const kind = KIND_WORDS[s.kind];
  const typeNote = isKnown(s.type) && s.kind !== 'function' && s.kind !== 'class' && s.kind !== 'enum' && !s.declaration.includes(':')
    ? ` Type: \`${typeToString(s.type)}\`${s.weak ? ' (inferred from its first value; not enforced)' : ''}.`
    : s.weak && isKnown(s.type) ? ` Inferred type \`${typeToString(s.type)}\` (from its first value; not enforced).` : '';
  parts.push(`${kind}.${typeNote}`);
  if (s.value !== undefined) parts.push(`Value: \`${JSON.stringify(s.value)}\``);
  if (s.doc) parts.push(s.doc);
  return parts.join('\n\n');
}

export function describeNative(m: MemberInfo): string {
  const parts: string[] = [];
  const owner = m.className.startsWith('@') ? '' : `${m.className}.`;
  switch (m.kind) {
    case 'method':
    case 'virtual':
      parts.push(code(m.signature.replace(`${m.returns} ${m.name}(`, `${m.returns} ${owner}${m.name}(`)));
      break;
    case 'property':
      parts.push(code(`${owner}${m.signature}`));
      break;
    case 'constant':
      parts.push(code(m.enum ? `${owner}${m.name} = ${m.value}  # enum ${m.enum}` : `const ${owner}${m.name} = ${m.value}`));
      break;
    case 'enum':
      parts.push(code(`enum ${owner}${m.name} { ${m.values.map((v) => `${v.name} = ${v.value}`).join(', ')} }`));
      break;
    case 'signal':
      parts.push(code(`${m.signature}`), `Signal of ${m.className}.`);
      break;
    case 'removed':
      parts.push(code(`${owner}${m.name}`), 'Gone in Godot 4.');
      break;
  }
  parts.push(m.description);
  if (m.godot3) parts.push(`Godot 3: \`${m.godot3.godot3}\` → Godot 4: \`${m.godot3.godot4}\``);
  return parts.filter(Boolean).join('\n\n');
}

export function describeClass(name: string): string | undefined {
  const c = findClass(name);
  if (!c) return undefined;
  const parts = [code(`class ${c.name}${c.inherits ? ` extends ${c.inherits}` : ''}`), c.description];
  if (c.singleton) parts.push('Singleton: call its methods on the name (`' + c.name + '.method()`).');
  if (c.partial) parts.push(`The lab emulates part of it: ${c.partial}`);
  if (c.godot3) parts.push(`Godot 3: \`${c.godot3.godot3}\` → Godot 4: \`${c.godot3.godot4}\``);
  return parts.join('\n\n');
}

function code(text: string): string {
  return '```gdscript\n' + text + '\n```';
}

const KIND_WORDS: Record<ScriptSymbol['kind'], string> = {
  variable: 'Member variable', constant: 'Constant', function: 'Function', signal: 'Signal', enum: 'Enum', 'enum-value': 'Enum value',
  class: 'Inner class', parameter: 'Parameter', 'local-variable': 'Local variable', 'local-constant': 'Local constant',
  'for-variable': 'Loop variable', 'pattern-binding': 'Pattern binding',
};
