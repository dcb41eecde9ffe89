// The global utility functions that Godot 4 also defines for vectors and Color (their Variant
// overloads): abs(v), sign(v), floor(v), ceil(v), round(v), lerp(a, b, t), snapped(v, step). They are
// the types' own methods (vectors.ts, color.ts) called with the remaining arguments.

import { callBuiltinMethod } from './builtin-methods';
import type { UtilityEnv } from './globals';
import { ScriptError } from './host';
import type { GdBuiltinValue, Value } from './values';

/** Utility functions with a value-type overload. */
export const VALUE_TYPE_UTILITIES: ReadonlySet<string> = new Set(['abs', 'sign', 'floor', 'ceil', 'round', 'lerp', 'snapped']);

/** `name(v, ...rest)` for a vector or Color `v`: `v.name(...rest)`. */
export function valueTypeUtility(name: string, v: GdBuiltinValue, rest: Value[], env: UtilityEnv): Value {
  return callBuiltinMethod(v, name, rest, {
    warn: (message) => env.print(`ERROR: ${message}`, 'stderr'),
    invoke: () => {
      throw new ScriptError(`${name}() does not call back into the script.`);
    },
  });
}
