// One parse per piece of text: the syntax tree of a script piece (its source and the document line it
// starts on) is shared by everything that checks one version of a document — the syntax pass
// (assembleScript), the Godot 3 migrations and the analyzer — instead of each parsing it again.
// Syntax trees are never modified once parsed (the compiler, the analyzer and the interpreter only read
// them), so sharing one is safe; callers must not modify the result either (its arrays are frozen).
// Bounded: the most recently used pieces, at most MAX_ENTRIES of them and MAX_CHARACTERS of source. It only
// has to span one check of a document (its edited pieces): the results of unchanged pieces are reused
// from the result caches (analyze-document.ts, godot3-migrations.ts) without a tree.

import { parse, type ParseResult } from '../gdscript';

const MAX_ENTRIES = 8;
/** About 10,000 lines of source (a 2,500-line piece's tree takes several MB). */
const MAX_CHARACTERS = 300_000;

/** By `lineOffset + "\n" + source`; a Map keeps insertion order, so the first entry is the least recently used. */
const entries = new Map<string, ParseResult>();
let characters = 0;

/** `parse(source, { lineOffset, check: false })`, parsed once while it stays in use. */
export function parseShared(source: string, lineOffset = 0): ParseResult {
  const key = `${lineOffset}\n${source}`;
  const hit = entries.get(key);
  if (hit) {
    entries.delete(key);
    entries.set(key, hit);
    return hit;
  }
  const parsed = parse(source, { lineOffset, check: false });
  const result: ParseResult = Object.freeze({ script: parsed.script, errors: Object.freeze(parsed.errors) as ParseResult['errors'], godot3: Object.freeze(parsed.godot3) as ParseResult['godot3'] });
  entries.set(key, result);
  characters += key.length;
  for (const [oldest] of entries) {
    if (entries.size <= 1 || (entries.size <= MAX_ENTRIES && characters <= MAX_CHARACTERS)) break;
    entries.delete(oldest);
    characters -= oldest.length;
  }
  return result;
}
