// `for x in v`: the iterator a loop keeps in a hidden local, and one step of it. Shared by the
// interpreter (interpreter.ts) and the compiled blocks (jit.ts).

import { ScriptError } from './host';
import { GdPackedArray } from './packed-arrays';
import { GdArray, GdDictionary, GdFloat, GdPackedByteArray, className, isStringLike, makeFloat, stringValue, type Value } from './values';

export const enum IterKind {
  Array,
  Range,
  Values, // snapshot (dictionary keys, string characters)
  Bytes,
  FloatRange,
}

export class LoopIterator {
  constructor(
    readonly kind: IterKind,
    readonly source: GdArray | GdPackedByteArray | Value[] | null,
    public index: number,
    readonly end: number,
    readonly step: number,
  ) {}
}

/** The iterator of `for x in v`. */
export function makeIterator(v: Value): LoopIterator {
  if (v instanceof GdArray) return new LoopIterator(IterKind.Array, v, 0, 0, 1);
  if (typeof v === 'number' || typeof v === 'bigint') return new LoopIterator(IterKind.Range, null, 0, Number(v), 1);
  if (v instanceof GdDictionary) return new LoopIterator(IterKind.Values, v.keys(), 0, 0, 1);
  if (isStringLike(v)) return new LoopIterator(IterKind.Values, Array.from(stringValue(v)), 0, 0, 1);
  if (v instanceof GdPackedByteArray) return new LoopIterator(IterKind.Bytes, v, 0, 0, 1);
  if (v instanceof GdFloat) return new LoopIterator(IterKind.FloatRange, null, 0, v.value, 1);
  if (v instanceof GdPackedArray) return new LoopIterator(IterKind.Values, v.items.slice(), 0, 0, 1);
  throw new ScriptError(`Unable to iterate on object of type '${className(v)}'.`);
}

/** The iterator of `for i in range(...)` (bounds from globals.ts's rangeBounds). */
export function rangeIterator([start, end, step]: [number, number, number]): LoopIterator {
  return new LoopIterator(IterKind.Range, null, start, end, step);
}

/** Returned by `advance` when the loop is over. */
export const ITERATION_END: unique symbol = Symbol('iteration end');

/** The loop's next value, or ITERATION_END. */
export function advance(it: LoopIterator): Value | typeof ITERATION_END {
  switch (it.kind) {
    case IterKind.Range: {
      if (!(it.step > 0 ? it.index < it.end : it.index > it.end)) return ITERATION_END;
      const value = it.index;
      it.index += it.step;
      return value;
    }
    case IterKind.Array: {
      const items = (it.source as GdArray).items;
      return it.index < items.length ? items[it.index++] : ITERATION_END;
    }
    case IterKind.Values: {
      const items = it.source as Value[];
      return it.index < items.length ? items[it.index++] : ITERATION_END;
    }
    case IterKind.Bytes: {
      const bytes = it.source as GdPackedByteArray;
      return it.index < bytes.size ? bytes.get(it.index++) : ITERATION_END;
    }
    default: {
      if (!(it.index < it.end)) return ITERATION_END;
      const value = makeFloat(it.index);
      it.index += 1;
      return value;
    }
  }
}
