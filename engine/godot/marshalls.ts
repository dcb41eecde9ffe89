// Marshalls: Base64 to and from raw bytes, UTF-8 strings and Variants (Godot's binary encoding).

import { ScriptError } from '../gdscript/host';
import { decodeVariant, encodeVariant } from './marshalling';
import { GodotObject, opt, param, type ClassSpec } from './method-table';
import { bytesOf, packedBytes } from './variant';

abstract class Singleton extends GodotObject {}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function fromBase64(text: string, method: string, warn: (m: string) => void): Uint8Array {
  const clean = text.replace(/\s+/g, '');
  if (!BASE64.test(clean) || clean.length % 4 === 1) {
    warn(`Marshalls.${method}: the text is not valid Base64.`);
    return new Uint8Array(0);
  }
  return new Uint8Array(Buffer.from(clean, 'base64'));
}

export const MarshallsSpec: ClassSpec<Singleton> = {
  name: 'Marshalls',
  singleton: true,
  description: 'Converts between Base64 text and raw bytes, UTF-8 strings and Variants (in Godot\'s binary encoding).',
  methods: {},
  statics: {
    base64_to_raw: {
      params: [param('base64_str', 'String')],
      returns: 'PackedByteArray',
      description: 'Decodes Base64 text to bytes.',
      call: (_rt, [text], ctx) => packedBytes(fromBase64(String(text), 'base64_to_raw', ctx.warn)),
    },
    base64_to_utf8: {
      params: [param('base64_str', 'String')],
      returns: 'String',
      description: 'Decodes Base64 text to a UTF-8 String.',
      call: (_rt, [text], ctx) => new TextDecoder().decode(fromBase64(String(text), 'base64_to_utf8', ctx.warn)),
    },
    base64_to_variant: {
      params: [param('base64_str', 'String'), opt('allow_objects', 'bool', false)],
      returns: 'Variant',
      description: 'Decodes Base64 text to a Variant encoded by variant_to_base64().',
      call(_rt, [text, allowObjects], ctx) {
        const bytes = fromBase64(String(text), 'base64_to_variant', ctx.warn);
        const decoded = decodeVariant(bytes, allowObjects === true);
        if (!decoded.ok) {
          ctx.warn(`Marshalls.base64_to_variant: ${decoded.message}`);
          return null;
        }
        return decoded.value;
      },
    },
    raw_to_base64: {
      params: [param('array', 'PackedByteArray')],
      returns: 'String',
      description: 'Encodes bytes as Base64 text.',
      call: (_rt, [array]) => Buffer.from(bytesOf(array)).toString('base64'),
    },
    utf8_to_base64: {
      params: [param('utf8_str', 'String')],
      returns: 'String',
      description: 'Encodes a String (as UTF-8) as Base64 text.',
      call: (_rt, [text]) => Buffer.from(String(text), 'utf8').toString('base64'),
    },
    variant_to_base64: {
      params: [param('variant', 'Variant'), opt('full_objects', 'bool', false)],
      returns: 'String',
      description: "Encodes a Variant (Godot's binary encoding, as var_to_bytes()) as Base64 text.",
      call(_rt, [value]) {
        const encoded = encodeVariant(value);
        if (!encoded.ok) throw new ScriptError(`Marshalls.variant_to_base64: ${encoded.message}`);
        return Buffer.from(encoded.bytes).toString('base64');
      },
    },
  },
};
