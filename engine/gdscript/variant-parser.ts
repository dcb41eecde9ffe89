// str_to_var(): Godot's VariantParser for the text var_to_str() writes (value-text.ts): null, true,
// false, ints, floats (inf, inf_neg, nan), "strings" with escapes, &"StringName", NodePath("…"),
// [arrays], {dictionaries: …}, and constructor calls of the value types: Vector2(1, 2), Color(…),
// Rect2(…), PackedStringArray("a", "b"), PackedVector2Array(1, 2, 3, 4) (flat components), … .
// Like Godot's str_to_var(), text that does not parse gives null (without an error message).

import { constructColor } from './color';
import { GdPackedArray, PACKED_COLOR, PACKED_KINDS, PACKED_VECTOR2, PACKED_VECTOR3, PACKED_VECTOR4 } from './packed-arrays';
import { RECT2, RECT2I, constructRect } from './rect';
import { GdVector, VECTOR_KINDS, constructVector } from './vectors';
import { GdArray, GdDictionary, GdNodePath, GdStringName, makeFloat, makeInt, type Value } from './values';

class ParseFailure extends Error {}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', a: '\x07', v: '\v', '"': '"', "'": "'", '\\': '\\', '?': '?' };

class Parser {
  private at = 0;
  constructor(private readonly text: string) {}

  private fail(): never {
    throw new ParseFailure();
  }
  private skipSpace(): void {
    while (this.at < this.text.length) {
      const c = this.text[this.at];
      if (c === ';') {
        // a comment to the end of the line
        while (this.at < this.text.length && this.text[this.at] !== '\n') this.at++;
      } else if (/\s/.test(c)) {
        this.at++;
      } else {
        break;
      }
    }
  }
  private peek(): string {
    this.skipSpace();
    return this.text[this.at] ?? '';
  }
  private expect(c: string): void {
    if (this.peek() !== c) this.fail();
    this.at++;
  }

  private string(): string {
    this.expect('"');
    let out = '';
    for (;;) {
      const c = this.text[this.at++];
      if (c === undefined) this.fail();
      if (c === '"') return out;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = this.text[this.at++];
      if (e === 'u' || e === 'U') {
        const n = e === 'u' ? 4 : 6;
        const hex = this.text.slice(this.at, this.at + n);
        if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== n) this.fail();
        out += String.fromCodePoint(parseInt(hex, 16));
        this.at += n;
      } else if (e !== undefined && e in ESCAPES) {
        out += ESCAPES[e];
      } else {
        this.fail();
      }
    }
  }

  private number(): Value {
    const m = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/.exec(this.text.slice(this.at));
    if (!m) this.fail();
    this.at += m[0].length;
    return m[1].includes('.') || m[3] !== undefined ? makeFloat(Number(m[0])) : makeInt(BigInt(m[0]));
  }

  /** The arguments of a constructor call: values separated by commas, up to `)`. */
  private args(): Value[] {
    this.expect('(');
    const out: Value[] = [];
    if (this.peek() === ')') {
      this.at++;
      return out;
    }
    for (;;) {
      out.push(this.value());
      const c = this.peek();
      this.at++;
      if (c === ')') return out;
      if (c !== ',') this.fail();
    }
  }

  private construct(name: string): Value {
    const args = this.args();
    const vector = VECTOR_KINDS.find((k) => k.name === name);
    if (vector) return constructVector(vector, args);
    if (name === 'Rect2' || name === 'Rect2i') return constructRect(name === 'Rect2' ? RECT2 : RECT2I, args);
    if (name === 'Color') return constructColor(args, () => this.fail());
    if (name === 'NodePath' && args.length === 1 && typeof args[0] === 'string') return GdNodePath.of(args[0]);
    const packed = PACKED_KINDS.find((k) => k.name === name);
    if (packed) {
      // Vector and Color arrays are written as flat component lists.
      const width = packed === PACKED_VECTOR2 ? 2 : packed === PACKED_VECTOR3 ? 3 : packed === PACKED_VECTOR4 ? 4 : packed === PACKED_COLOR ? 4 : 1;
      if (args.length % width !== 0) this.fail();
      const items: Value[] = [];
      for (let i = 0; i < args.length; i += width) {
        const part = args.slice(i, i + width);
        const element = width === 1 ? part[0] : packed === PACKED_COLOR ? constructColor(part, () => this.fail()) : constructVector((packed.zero() as GdVector).kind, part);
        const converted = packed.convert(element);
        if (converted === undefined) this.fail();
        items.push(converted);
      }
      return new GdPackedArray(packed, items);
    }
    return this.fail();
  }

  value(): Value {
    const c = this.peek();
    if (c === '"') return this.string();
    if (c === '&') {
      this.at++;
      return GdStringName.of(this.string());
    }
    if (c === '[') {
      this.at++;
      const items: Value[] = [];
      if (this.peek() === ']') {
        this.at++;
        return new GdArray(items);
      }
      for (;;) {
        items.push(this.value());
        const next = this.peek();
        this.at++;
        if (next === ']') return new GdArray(items);
        if (next !== ',') this.fail();
      }
    }
    if (c === '{') {
      this.at++;
      const d = new GdDictionary();
      if (this.peek() === '}') {
        this.at++;
        return d;
      }
      for (;;) {
        const key = this.value();
        this.expect(':');
        d.set(key, this.value());
        const next = this.peek();
        this.at++;
        if (next === '}') return d;
        if (next !== ',') this.fail();
      }
    }
    if (/[0-9+.-]/.test(c)) {
      if (this.text.startsWith('-inf', this.at)) {
        this.at += 4;
        return makeFloat(-Infinity);
      }
      return this.number();
    }
    const word = /^[A-Za-z_][A-Za-z_0-9]*/.exec(this.text.slice(this.at));
    if (!word) this.fail();
    this.at += word[0].length;
    switch (word[0]) {
      case 'null': case 'nil': return null;
      case 'true': return true;
      case 'false': return false;
      case 'inf': return makeFloat(Infinity);
      case 'inf_neg': return makeFloat(-Infinity);
      case 'nan': return makeFloat(NaN);
    }
    return this.construct(word[0]);
  }
}

/** str_to_var(text): the value, or null when the text is not a value Godot can read back. */
export function strToVar(text: string): Value {
  const parser = new Parser(text);
  try {
    return parser.value();
  } catch (e) {
    if (e instanceof ParseFailure) return null;
    // A constructor refusing its arguments (Vector2("a")) is also a parse error for str_to_var.
    if (e instanceof Error && e.name === 'ScriptError') return null;
    throw e;
  }
}
