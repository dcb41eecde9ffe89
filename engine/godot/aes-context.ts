// AESContext: raw AES-128/256 in ECB or CBC mode over whole 16-byte blocks (no padding), like Godot's.

import { createCipheriv, createDecipheriv, type Cipher, type Decipher } from 'node:crypto';
import { ErrorCode } from './error-codes';
import { enumOf, GodotObject, opt, param, type ClassSpec } from './method-table';
import { RefCountedSpec } from './object';
import type { GodotRuntime } from './runtime';
import { bytesOf, int, packedBytes, toNumber } from './variant';
import { PackedByteArray } from '../gdscript/values';

export const AesMode = { MODE_ECB_ENCRYPT: 0, MODE_ECB_DECRYPT: 1, MODE_CBC_ENCRYPT: 2, MODE_CBC_DECRYPT: 3, MODE_MAX: 4 } as const;

export class AESContext extends GodotObject {
  mode: number = AesMode.MODE_MAX;
  cipher?: Cipher | Decipher;
  iv = new Uint8Array(16);

  constructor(runtime: GodotRuntime) {
    super(AESContextSpec, runtime);
  }
}

const EMPTY = () => packedBytes(new Uint8Array(0));

export const AESContextSpec: ClassSpec<AESContext> = {
  name: 'AESContext',
  inherits: RefCountedSpec,
  description:
    'Encrypts or decrypts with AES (16- or 32-byte key) in ECB or CBC mode. Data must come in whole 16-byte blocks: add your own padding.',
  enums: {
    Mode: enumOf('Cipher modes for start().', [
      ['MODE_ECB_ENCRYPT', 0, 'AES encryption, ECB mode (every block on its own).'],
      ['MODE_ECB_DECRYPT', 1, 'AES decryption, ECB mode.'],
      ['MODE_CBC_ENCRYPT', 2, 'AES encryption, CBC mode (needs a 16-byte IV).'],
      ['MODE_CBC_DECRYPT', 3, 'AES decryption, CBC mode (needs a 16-byte IV).'],
      ['MODE_MAX', 4, 'The number of modes; also the state of a context that is not started.'],
    ]),
  },
  construct: (runtime) => new AESContext(runtime),
  methods: {
    start: {
      params: [param('mode', 'AESContext.Mode'), param('key', 'PackedByteArray'), opt('iv', 'PackedByteArray', () => new PackedByteArray(), 'PackedByteArray()')],
      returns: 'Error',
      description: 'Starts encrypting or decrypting with the key (16 or 32 bytes) and, in CBC modes, the 16-byte IV.',
      call(self, [modeValue, keyValue, ivValue], ctx) {
        const mode = toNumber(modeValue);
        if (self.mode !== AesMode.MODE_MAX) {
          ctx.warn("AESContext already started. Call 'finish' before starting a new one.");
          return int(ErrorCode.ERR_ALREADY_IN_USE);
        }
        if (!(mode >= 0 && mode < AesMode.MODE_MAX)) {
          ctx.warn('Invalid mode requested.');
          return int(ErrorCode.ERR_INVALID_PARAMETER);
        }
        const key = bytesOf(keyValue);
        if (key.length !== 16 && key.length !== 32) {
          ctx.warn('AES key must be either 16 or 32 bytes');
          return int(ErrorCode.ERR_INVALID_PARAMETER);
        }
        const cbc = mode === AesMode.MODE_CBC_ENCRYPT || mode === AesMode.MODE_CBC_DECRYPT;
        const iv = bytesOf(ivValue);
        if (cbc && iv.length !== 16) {
          ctx.warn('The initialization vector (IV) must be exactly 16 bytes.');
          return int(ErrorCode.ERR_INVALID_PARAMETER);
        }
        const algorithm = `aes-${key.length * 8}-${cbc ? 'cbc' : 'ecb'}`;
        const encrypt = mode === AesMode.MODE_ECB_ENCRYPT || mode === AesMode.MODE_CBC_ENCRYPT;
        self.cipher = encrypt ? createCipheriv(algorithm, key, cbc ? iv : null) : createDecipheriv(algorithm, key, cbc ? iv : null);
        self.cipher.setAutoPadding(false);
        self.iv = cbc ? iv.slice() : new Uint8Array(16);
        self.mode = mode;
        return int(ErrorCode.OK);
      },
    },
    update: {
      params: [param('src', 'PackedByteArray')],
      returns: 'PackedByteArray',
      description: 'Encrypts or decrypts the data (a multiple of 16 bytes) and returns the result.',
      call(self, [srcValue], ctx) {
        if (self.mode === AesMode.MODE_MAX || !self.cipher) {
          ctx.warn("AESContext not started. Call 'start' before calling 'update'.");
          return EMPTY();
        }
        const src = bytesOf(srcValue);
        if (src.length % 16 !== 0) {
          ctx.warn('The number of bytes to be encrypted must be multiple of 16. Add padding if needed');
          return EMPTY();
        }
        const out = new Uint8Array(self.cipher.update(src));
        if (src.length > 0) {
          if (self.mode === AesMode.MODE_CBC_ENCRYPT) self.iv = out.slice(out.length - 16);
          else if (self.mode === AesMode.MODE_CBC_DECRYPT) self.iv = src.slice(src.length - 16);
        }
        return packedBytes(out);
      },
    },
    get_iv_state: {
      params: [],
      returns: 'PackedByteArray',
      description: 'In CBC modes, the IV to continue with (the last ciphertext block), e.g. to go on in another context.',
      call(self, _args, ctx) {
        if (self.mode !== AesMode.MODE_CBC_ENCRYPT && self.mode !== AesMode.MODE_CBC_DECRYPT) {
          ctx.warn("Calling 'get_iv_state' only makes sense when the context is started in CBC mode.");
          return EMPTY();
        }
        return packedBytes(self.iv);
      },
    },
    finish: {
      params: [],
      returns: 'void',
      description: 'Ends the operation; start() can be called again.',
      call(self) {
        self.cipher = undefined;
        self.mode = AesMode.MODE_MAX;
        return null;
      },
    },
  },
};
