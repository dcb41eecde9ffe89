// The outline of a document: the members of a plain script, or one 'snippet' entry per `# @dtls`
// snippet and per un-annotated ```gdscript fence, with the members as children.

import type * as ast from '../gdscript/ast';
import type { Range } from '../gdscript/range';
import type { DocumentLanguage } from '../sandbox/document';
import { documentAnalysis, isGeneratedFunction, type ScriptUnit } from './analyze-document';
import { functionDeclaration, typeNodeText } from './declarations';

export interface SymbolEntry {
  name: string;
  kind: 'class' | 'function' | 'variable' | 'constant' | 'signal' | 'enum' | 'snippet';
  detail?: string;
  range: Range;
  selectionRange: Range;
  children?: SymbolEntry[];
}

export function documentSymbols(text: string, language: DocumentLanguage): SymbolEntry[] {
  const doc = documentAnalysis(text, language);
  const out: SymbolEntry[] = [];
  for (const unit of doc.units) {
    const members = membersOf(unit);
    if (unit.kind === 'file') {
      out.push(...members);
      continue;
    }
    const first = unit.regions[0];
    const lastLine = Math.max(first.start, first.end - 1);
    const range: Range = { start: { line: first.start, character: 0 }, end: { line: lastLine, character: (doc.lines[lastLine] ?? '').length } };
    const header: Range = { start: { line: first.start, character: 0 }, end: { line: first.start, character: (doc.lines[first.start] ?? '').length } };
    const snippet = unit.snippet;
    out.push({
      name: snippet ? `${snippet.role} "${snippet.name}"` : `gdscript (line ${first.start + 1})`,
      kind: 'snippet',
      detail: snippet ? `# @dtls ${snippet.role}` : 'un-annotated fence',
      range,
      selectionRange: header,
      children: members,
    });
  }
  return out.sort((a, b) => a.range.start.line - b.range.start.line);
}

function membersOf(unit: ScriptUnit): SymbolEntry[] {
  return unit.analysis.script.members.flatMap((m) => entry(m));
}

function entry(m: ast.Member): SymbolEntry[] {
  switch (m.kind) {
    case 'Var':
      return [{ name: m.name, kind: 'variable', detail: m.type ? typeNodeText(m.type) : undefined, range: m.range, selectionRange: m.nameRange }];
    case 'Const':
      return [{ name: m.name, kind: 'constant', detail: m.type ? typeNodeText(m.type) : undefined, range: m.range, selectionRange: m.nameRange }];
    case 'Function':
      if (isGeneratedFunction(m.name)) return [];
      return [{ name: m.name, kind: 'function', detail: functionDeclaration(m, m.returnType ? typeNodeText(m.returnType) : undefined), range: m.range, selectionRange: m.nameRange }];
    case 'Signal':
      return [{ name: m.name, kind: 'signal', range: m.range, selectionRange: m.nameRange ?? m.range }];
    case 'Enum':
      return [{
        name: m.name ?? '(enum)', kind: 'enum', range: m.range, selectionRange: m.range,
        children: m.values.map((v) => ({ name: v.name, kind: 'constant' as const, range: v.range, selectionRange: v.range })),
      }];
    case 'Class':
      return [{
        name: m.name, kind: 'class', detail: m.body.extendsName ? `extends ${m.body.extendsName}` : undefined, range: m.range,
        selectionRange: m.nameRange ?? m.range, children: m.body.members.flatMap((c) => entry(c)),
      }];
  }
}
