// HashingContext (MD5, SHA-1, SHA-256 in chunks) and HMACContext (HMAC-SHA1/SHA256 in chunks).

import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { ErrorCode } from './error-codes';
import { enumOf, GodotObject, param, type ClassSpec, type EnumSpec } from './method-table';
import { RefCountedSpec } from './object';
import type { GodotRuntime } from './runtime';
import { bytesOf, int, packedBytes, toNumber } from './variant';

export const HashType = { HASH_MD5: 0, HASH_SHA1: 1, HASH_SHA256: 2 } as const;

export const HASH_TYPE_ENUM: EnumSpec = enumOf('The hash functions.', [
  ['HASH_MD5', 0, 'MD5 (16-byte digest; broken, for checksums only).'],
  ['HASH_SHA1', 1, 'SHA-1 (20-byte digest).'],
  ['HASH_SHA256', 2, 'SHA-256 (32-byte digest).'],
]);

/** Node's name for a HashType value, or undefined. */
export function nodeHashName(type: number): 'md5' | 'sha1' | 'sha256' | undefined {
  return (['md5', 'sha1', 'sha256'] as const)[type];
}

export class HashingContext extends GodotObject {
  hash?: Hash;

  constructor(runtime: GodotRuntime) {
    super(HashingContextSpec, runtime);
  }
}

export const HashingContextSpec: ClassSpec<HashingContext> = {
  name: 'HashingContext',
  inherits: RefCountedSpec,
  description: 'Computes a hash (MD5, SHA-1, SHA-256) over data given in chunks: start(), update() as often as needed, finish().',
  enums: { HashType: HASH_TYPE_ENUM },
  construct: (runtime) => new HashingContext(runtime),
  methods: {
    start: {
      params: [param('type', 'HashingContext.HashType')],
      returns: 'Error',
      description: 'Starts a new hash of the given type.',
      call(self, [type], ctx) {
        if (self.hash) {
          ctx.warn("HashingContext already started. Call 'finish' before starting a new one.");
          return int(ErrorCode.ERR_ALREADY_IN_USE);
        }
        const name = nodeHashName(toNumber(type));
        if (!name) {
          ctx.warn(`Invalid hash type ${toNumber(type)}: use HASH_MD5, HASH_SHA1 or HASH_SHA256.`);
          return int(ErrorCode.ERR_UNAVAILABLE);
        }
        self.hash = createHash(name);
        return int(ErrorCode.OK);
      },
    },
    update: {
      params: [param('chunk', 'PackedByteArray')],
      returns: 'Error',
      description: 'Adds a chunk of data to the hash.',
      call(self, [chunk], ctx) {
        if (!self.hash) {
          ctx.warn('HashingContext.update: call start() first.');
          return int(ErrorCode.ERR_UNCONFIGURED);
        }
        self.hash.update(bytesOf(chunk));
        return int(ErrorCode.OK);
      },
    },
    finish: {
      params: [],
      returns: 'PackedByteArray',
      description: 'Ends the hash and returns the digest; start() can be called again afterwards.',
      call(self, _args, ctx) {
        if (!self.hash) {
          ctx.warn('HashingContext.finish: call start() first.');
          return packedBytes(new Uint8Array(0));
        }
        const digest = self.hash.digest();
        self.hash = undefined;
        return packedBytes(new Uint8Array(digest));
      },
    },
  },
};

export class HMACContext extends GodotObject {
  hmac?: Hmac;

  constructor(runtime: GodotRuntime) {
    super(HMACContextSpec, runtime);
  }
}

/** The HMAC hash types Godot allows (SHA-1 and SHA-256). */
export function hmacHashName(type: number): 'sha1' | 'sha256' | undefined {
  return type === HashType.HASH_SHA1 ? 'sha1' : type === HashType.HASH_SHA256 ? 'sha256' : undefined;
}

export const HMACContextSpec: ClassSpec<HMACContext> = {
  name: 'HMACContext',
  inherits: RefCountedSpec,
  description: 'Computes an HMAC (SHA-1 or SHA-256) over data given in chunks: start(hash_type, key), update(), finish().',
  construct: (runtime) => new HMACContext(runtime),
  methods: {
    start: {
      params: [param('hash_type', 'HashingContext.HashType'), param('key', 'PackedByteArray')],
      returns: 'Error',
      description: 'Starts an HMAC with the hash type (HASH_SHA1 or HASH_SHA256) and a non-empty key.',
      call(self, [type, key], ctx) {
        if (self.hmac) {
          ctx.warn("HMACContext already started. Call 'finish' before starting a new one.");
          return int(ErrorCode.ERR_FILE_ALREADY_IN_USE);
        }
        const name = hmacHashName(toNumber(type));
        if (!name) {
          ctx.warn('Unsupported hash type: HMACContext supports HASH_SHA1 and HASH_SHA256.');
          return int(ErrorCode.ERR_INVALID_PARAMETER);
        }
        if (bytesOf(key).length === 0) {
          ctx.warn('HMACContext.start: the key must not be empty.');
          return int(ErrorCode.ERR_INVALID_PARAMETER);
        }
        self.hmac = createHmac(name, bytesOf(key));
        return int(ErrorCode.OK);
      },
    },
    update: {
      params: [param('data', 'PackedByteArray')],
      returns: 'Error',
      description: 'Adds data to the HMAC.',
      call(self, [data], ctx) {
        if (!self.hmac) {
          ctx.warn('HMACContext.update: start must be called before update.');
          return int(ErrorCode.ERR_INVALID_DATA);
        }
        self.hmac.update(bytesOf(data));
        return int(ErrorCode.OK);
      },
    },
    finish: {
      params: [],
      returns: 'PackedByteArray',
      description: 'Ends the HMAC and returns it.',
      call(self, _args, ctx) {
        if (!self.hmac) {
          ctx.warn('HMACContext.finish: start must be called before finish.');
          return packedBytes(new Uint8Array(0));
        }
        const mac = self.hmac.digest();
        self.hmac = undefined;
        return packedBytes(new Uint8Array(mac));
      },
    },
  },
};
