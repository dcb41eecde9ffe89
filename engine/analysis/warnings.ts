// Godot 4's standard GDScript warnings the analyzer reports: their names (the problem codes), whether
// they are on by default, Godot's message wording, and `@warning_ignore("name", …)` handling.

import type { Range } from '../gdscript/range';

export const WARNING_CODES = [
  'UNASSIGNED_VARIABLE',
  'UNASSIGNED_VARIABLE_OP_ASSIGN',
  'UNUSED_VARIABLE',
  'UNUSED_LOCAL_CONSTANT',
  'UNUSED_PARAMETER',
  'UNUSED_SIGNAL',
  'SHADOWED_VARIABLE',
  'SHADOWED_VARIABLE_BASE_CLASS',
  'SHADOWED_GLOBAL_IDENTIFIER',
  'UNREACHABLE_CODE',
  'UNREACHABLE_PATTERN',
  'STANDALONE_EXPRESSION',
  'STANDALONE_TERNARY',
  'INCOMPATIBLE_TERNARY',
  'INTEGER_DIVISION',
  'NARROWING_CONVERSION',
  'RETURN_VALUE_DISCARDED',
  'REDUNDANT_AWAIT',
] as const;

export type WarningCode = (typeof WARNING_CODES)[number];

/** Off unless asked for, as in Godot's project settings. */
export const WARNINGS_OFF_BY_DEFAULT: ReadonlySet<WarningCode> = new Set(['RETURN_VALUE_DISCARDED']);

/** The warnings that mark code as unused (shown faded: tag `unnecessary`). */
export const UNUSED_WARNINGS: ReadonlySet<WarningCode> = new Set([
  'UNUSED_VARIABLE', 'UNUSED_LOCAL_CONSTANT', 'UNUSED_PARAMETER', 'UNUSED_SIGNAL', 'UNREACHABLE_CODE', 'UNREACHABLE_PATTERN',
]);

/** Godot's messages (modules/gdscript/gdscript_warning.cpp, Godot 4.3). */
export const warningMessage = {
  UNASSIGNED_VARIABLE: (name: string) => `The variable "${name}" was used before being assigned a value.`,
  UNASSIGNED_VARIABLE_OP_ASSIGN: (name: string) =>
    `Using assignment with operation but the variable "${name}" was not previously assigned a value.`,
  UNUSED_VARIABLE: (name: string) =>
    `The local variable "${name}" is declared but never used in the block. If this is intended, prefix it with an underscore: "_${name}".`,
  UNUSED_LOCAL_CONSTANT: (name: string) =>
    `The local constant "${name}" is declared but never used in the block. If this is intended, prefix it with an underscore: "_${name}".`,
  UNUSED_PARAMETER: (fn: string, name: string) =>
    `The parameter "${name}" is never used in the function "${fn}()". If this is intended, prefix it with an underscore: "_${name}".`,
  UNUSED_SIGNAL: (name: string) => `The signal "${name}" is declared but never explicitly used in the class.`,
  SHADOWED_VARIABLE: (what: string, name: string, shadowed: string, line: number) =>
    `The local ${what} "${name}" is shadowing an already-declared ${shadowed} at line ${line} in the current class.`,
  SHADOWED_VARIABLE_BASE_CLASS: (what: string, name: string, shadowed: string, base: string) =>
    `The local ${what} "${name}" is shadowing an already-declared ${shadowed} in the base class "${base}".`,
  SHADOWED_GLOBAL_IDENTIFIER: (what: string, name: string, global: string) => `The ${what} "${name}" has the same name as a ${global}.`,
  UNREACHABLE_CODE: (fn: string) => `Unreachable code (statement after return) in function "${fn}()".`,
  UNREACHABLE_PATTERN: () => 'Unreachable pattern (pattern after wildcard or bind).',
  STANDALONE_EXPRESSION: () => 'Standalone expression (the line may have no effect).',
  STANDALONE_TERNARY: () => 'Standalone ternary operator: the return value is being discarded.',
  INCOMPATIBLE_TERNARY: () => 'Values of the ternary operator are not mutually compatible.',
  INTEGER_DIVISION: () => 'Integer division, decimal part will be discarded.',
  NARROWING_CONVERSION: () => 'Narrowing conversion (float is converted to int and loses precision).',
  RETURN_VALUE_DISCARDED: (fn: string) => `The function "${fn}()" returns a value that will be discarded if not used.`,
  REDUNDANT_AWAIT: () => '"await" keyword not needed in this case, because the expression isn\'t a coroutine nor a signal.',
} satisfies Record<WarningCode, (...args: never[]) => string>;

export function isWarningCode(name: string): name is WarningCode {
  return (WARNING_CODES as readonly string[]).includes(name);
}

/** A region of the document where some warnings are turned off by `@warning_ignore`. */
export interface IgnoredRegion {
  range: Range;
  codes: ReadonlySet<string>;
}

const WARNING_IGNORE = /^\s*@warning_ignore\s*\(([^)]*)\)/;

/**
 * `@warning_ignore("a", "b")` lines of the document, by the line of the code they apply to (the next line
 * that is neither blank, a comment nor another annotation). Godot drops statement annotations from the
 * tree, so they are read from the text.
 */
export function warningIgnoresByLine(lines: readonly string[]): Map<number, Set<string>> {
  const out = new Map<number, Set<string>>();
  let pending: Set<string> | undefined;
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i];
    const match = WARNING_IGNORE.exec(text);
    if (match) {
      pending ??= new Set();
      for (const m of match[1].matchAll(/["']([A-Za-z_]+)["']/g)) pending.add(m[1].toUpperCase());
      if (text.slice(match[0].length).trim() === '' || text.slice(match[0].length).trim().startsWith('#')) continue;
      // `@warning_ignore("x") var y` on one line applies to this line.
      out.set(i, pending);
      pending = undefined;
      continue;
    }
    if (!pending) continue;
    const trimmed = text.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith('@')) continue;
    out.set(i, pending);
    pending = undefined;
  }
  return out;
}

export function isIgnored(regions: readonly IgnoredRegion[], code: string, range: Range): boolean {
  return regions.some((r) => r.codes.has(code) && contains(r.range, range));
}

function contains(outer: Range, inner: Range): boolean {
  const startsAfter = inner.start.line > outer.start.line || (inner.start.line === outer.start.line && inner.start.character >= outer.start.character);
  const endsBefore = inner.start.line < outer.end.line || (inner.start.line === outer.end.line && inner.start.character <= outer.end.character);
  return startsAfter && endsBefore;
}
