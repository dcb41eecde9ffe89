// Fixed-size numbers as StreamPeer and FileAccess read and write them (little-endian unless big_endian).

import type { Value } from '../gdscript/host';
import { makeFloat, makeInt } from '../gdscript/values';
import { toNumber } from './variant';

export type NumberKind = '8' | 'u8' | '16' | 'u16' | '32' | 'u32' | '64' | 'u64' | 'float' | 'double';

export const NUMBER_SIZE: Record<NumberKind, number> = { '8': 1, u8: 1, '16': 2, u16: 2, '32': 4, u32: 4, '64': 8, u64: 8, float: 4, double: 8 };

export function encodeNumber(kind: NumberKind, value: Value, bigEndian: boolean): Uint8Array {
  const out = new Uint8Array(NUMBER_SIZE[kind]);
  const view = new DataView(out.buffer);
  const little = !bigEndian;
  const n = toNumber(value);
  const big = () => (typeof value === 'bigint' ? value : BigInt(Math.trunc(Number.isFinite(n) ? n : 0)));
  switch (kind) {
    case '8':
    case 'u8':
      view.setUint8(0, Number(BigInt.asUintN(8, big())));
      break;
    case '16':
    case 'u16':
      view.setUint16(0, Number(BigInt.asUintN(16, big())), little);
      break;
    case '32':
    case 'u32':
      view.setUint32(0, Number(BigInt.asUintN(32, big())), little);
      break;
    case '64':
    case 'u64':
      view.setBigUint64(0, BigInt.asUintN(64, big()), little);
      break;
    case 'float':
      view.setFloat32(0, n, little);
      break;
    case 'double':
      view.setFloat64(0, n, little);
      break;
  }
  return out;
}

export function decodeNumber(kind: NumberKind, bytes: Uint8Array, bigEndian: boolean): Value {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const little = !bigEndian;
  switch (kind) {
    case '8':
      return view.getInt8(0);
    case 'u8':
      return view.getUint8(0);
    case '16':
      return view.getInt16(0, little);
    case 'u16':
      return view.getUint16(0, little);
    case '32':
      return view.getInt32(0, little);
    case 'u32':
      return view.getUint32(0, little);
    case '64':
    case 'u64':
      return makeInt(view.getBigInt64(0, little)); // Godot's int is signed 64-bit: u64 values above 2^63 wrap.
    case 'float':
      return makeFloat(view.getFloat32(0, little));
    case 'double':
      return makeFloat(view.getFloat64(0, little));
  }
}

/** Godot's String.ascii(): one byte per character (characters above 0xFF become '?'). */
export function asciiBytes(text: string): Uint8Array {
  return Uint8Array.from(Array.from(text), (c) => {
    const code = c.codePointAt(0)!;
    return code <= 0xff ? code : 0x3f;
  });
}

export function latin1String(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}
