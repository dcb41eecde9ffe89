// A peer's script as it runs: its snippet, the members of its `# @dtls … part` fragments and one
// function per `call=` option, merged at the AST level. Each piece is parsed on its own with its own
// line offset, so every node keeps its document range (errors, prints and statuses point at the
// fragment's own lines). The snippet and its fragments are parsed through the shared parse cache
// (engine/analysis/parse-cache.ts): the Godot 3 migrations and the analyzer reuse those trees.

import { parseShared } from '../analysis/parse-cache';
import { parse, type ParsedScript } from '../gdscript';
import type { Member } from '../gdscript/ast';
import { compileScript } from '../gdscript/compiler';
import { callSource, type Snippet } from './document';
import type { Problem } from './report';

export interface AssembledScript {
  script: ParsedScript;
  problems: Problem[];
}

export function assembleScript(snippet: Snippet): AssembledScript {
  const problems: Problem[] = [];
  const peer = snippet.name;
  const syntax = (message: string, range: Problem['range']) => problems.push({ severity: 'error', code: 'syntax', message, range, peer });
  const main = parseShared(snippet.source, snippet.startLine);
  for (const e of main.errors) syntax(e.message, e.range);
  const members: Member[] = [...main.script.members];
  const names = new Map<string, number>();
  for (const m of members) if (m.name !== undefined) names.set(m.name, m.range.start.line);

  for (const fragment of snippet.fragments ?? []) {
    const part = parseShared(fragment.source, fragment.startLine);
    for (const e of part.errors) syntax(e.message, e.range);
    if (part.script.extendsName !== undefined || part.script.className !== undefined)
      problems.push({
        severity: 'error',
        code: 'annotation',
        message: `A ${fragment.role} part adds members to the "${peer}" snippet's script: it has no "extends" or "class_name" of its own.`,
        range: part.script.extendsRange ?? { start: { line: fragment.annotationLine, character: 0 }, end: { line: fragment.annotationLine, character: 0 } },
        peer,
      });
    for (const m of part.script.members) {
      const previous = m.name === undefined ? undefined : names.get(m.name);
      if (previous !== undefined) {
        problems.push({
          severity: 'error',
          code: 'annotation',
          message: `This ${fragment.role} part declares "${m.name}" again: the "${peer}" snippet's script already has a member named "${m.name}" (line ${previous + 1}).`,
          range: 'nameRange' in m && m.nameRange ? m.nameRange : m.range,
          peer,
        });
        continue;
      }
      if (m.name !== undefined) names.set(m.name, m.range.start.line);
      members.push(m);
    }
  }

  const callLines = new Set<number>();
  (snippet.calls ?? []).forEach((call, index) => {
    const parsed = parse(callSource(call.expression, call.character, index), { lineOffset: call.line - 1, check: false });
    callLines.add(call.line);
    if (parsed.errors.length > 0) {
      problems.push({ severity: 'error', code: 'annotation', message: `call=${call.expression}: ${parsed.errors[0].message}`, range: call.range, peer });
      return;
    }
    members.push(...parsed.script.members);
  });

  const script: ParsedScript = { ...main.script, members };
  try {
    for (const e of compileScript(script).problems)
      problems.push({ severity: 'error', code: callLines.has(e.range.start.line) ? 'annotation' : 'syntax', message: e.message, range: e.range, peer });
  } catch (e) {
    syntax(`Internal compiler error: ${(e as Error).message}`, script.range);
  }
  problems.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  return { script, problems };
}
