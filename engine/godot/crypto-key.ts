// CryptoKey: an RSA or EC key pair (or only its public half) in PEM, as Godot's Crypto creates it.

import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { ErrorCode } from './error-codes';
import { readFile, writeFile } from './files';
import { opt, param, type ClassSpec } from './method-table';
import { ResourceObject, ResourceSpec } from './object';
import type { GodotRuntime } from './runtime';
import { int } from './variant';

export class CryptoKey extends ResourceObject {
  /** The private key PEM (PKCS#1 for RSA, SEC1 for EC), or the public key PEM (SPKI) when publicOnly. */
  keyPem = '';
  publicOnly = false;

  constructor(runtime: GodotRuntime) {
    super(CryptoKeySpec, runtime);
  }

  isEmpty(): boolean {
    return this.keyPem === '';
  }

  /** The Node key object (private when there is one). */
  keyObject(): KeyObject {
    return this.publicOnly ? createPublicKey(this.keyPem) : createPrivateKey(this.keyPem);
  }

  publicKeyObject(): KeyObject {
    return createPublicKey(this.keyPem);
  }

  setPrivate(key: KeyObject): void {
    const type = key.asymmetricKeyType === 'ec' ? 'sec1' : key.asymmetricKeyType === 'rsa' ? 'pkcs1' : 'pkcs8';
    this.keyPem = key.export({ type, format: 'pem' }).toString();
    this.publicOnly = false;
  }

  load(text: string, publicOnly: boolean): number {
    try {
      if (publicOnly) {
        this.keyPem = createPublicKey(text).export({ type: 'spki', format: 'pem' }).toString();
        this.publicOnly = true;
      } else {
        this.setPrivate(createPrivateKey(text));
      }
      return ErrorCode.OK;
    } catch {
      return ErrorCode.ERR_INVALID_DATA;
    }
  }

  save(publicOnly: boolean): string {
    if (this.isEmpty()) return '';
    if (publicOnly || this.publicOnly) return createPublicKey(this.keyPem).export({ type: 'spki', format: 'pem' }).toString();
    return this.keyPem;
  }
}

export const CryptoKeySpec: ClassSpec<CryptoKey> = {
  name: 'CryptoKey',
  inherits: ResourceSpec,
  description:
    'An RSA or EC key: a private key with its public half, or a public key only. Made by Crypto.generate_rsa(), loaded from PEM text or a .key/.pub file, and used by TLSOptions.server() and Crypto.sign()/encrypt().',
  construct: (runtime) => new CryptoKey(runtime),
  methods: {
    is_public_only: {
      params: [],
      returns: 'bool',
      const: true,
      description: 'Whether only the public half of the key is held.',
      call: (self) => self.publicOnly,
    },
    load: {
      params: [param('path', 'String'), opt('public_only', 'bool', false)],
      returns: 'Error',
      description: 'Reads a PEM key from a file (res:// or user://); with public_only the file holds a public key.',
      call(self, [path, publicOnly], ctx) {
        const read = readFile(self.runtime, String(path));
        if (!read.ok) {
          ctx.warn(`Cannot open CryptoKey file '${String(path)}': ${read.message}`);
          return int(ErrorCode.ERR_INVALID_PARAMETER);
        }
        const error = self.load(Buffer.from(read.data).toString('utf8'), publicOnly === true);
        if (error !== ErrorCode.OK) ctx.warn(`Error parsing CryptoKey '${read.path.display}': it holds no PEM ${publicOnly === true ? 'public' : 'private'} key.`);
        else self.resourcePath = read.path.display;
        return int(error);
      },
    },
    load_from_string: {
      params: [param('string_key', 'String'), opt('public_only', 'bool', false)],
      returns: 'Error',
      description: 'Reads a PEM key from a String.',
      call(self, [text, publicOnly], ctx) {
        const error = self.load(String(text), publicOnly === true);
        if (error !== ErrorCode.OK) ctx.warn(`CryptoKey.load_from_string: the text is not a PEM ${publicOnly === true ? 'public' : 'private'} key.`);
        return int(error);
      },
    },
    save: {
      params: [param('path', 'String'), opt('public_only', 'bool', false)],
      returns: 'Error',
      description: 'Writes the key as PEM to a file (user:// in the sandbox); with public_only only the public half.',
      call(self, [path, publicOnly], ctx) {
        if (self.isEmpty()) {
          ctx.warn('CryptoKey.save: the key is empty.');
          return int(ErrorCode.ERR_INVALID_PARAMETER);
        }
        const written = writeFile(self.runtime, String(path), Buffer.from(self.save(publicOnly === true), 'utf8'));
        if (!written.ok) {
          ctx.warn(`Cannot save CryptoKey file '${String(path)}': ${written.message}`);
          return int(ErrorCode.ERR_INVALID_PARAMETER);
        }
        return int(ErrorCode.OK);
      },
    },
    save_to_string: {
      params: [opt('public_only', 'bool', false)],
      returns: 'String',
      description: 'The key as PEM text (the public half only with public_only).',
      call: (self, [publicOnly]) => self.save(publicOnly === true),
    },
  },
};
