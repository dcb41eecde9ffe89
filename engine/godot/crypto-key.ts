// CryptoKey: an RSA or EC key pair (or only its public half) in PEM, as Godot's Crypto creates it.

import { createPrivateKey, createPublicKey } from 'node:crypto';
import { ErrorCode } from './error-codes';
import { GodotObject, type ClassSpec } from './method-table';
import type { GodotRuntime } from './runtime';
import { int } from './variant';

export class CryptoKey extends GodotObject {
  /** PKCS#1/SEC1/PKCS#8 private key PEM, or a public key PEM when publicOnly. */
  keyPem = '';
  publicOnly = false;

  constructor(runtime: GodotRuntime) {
    super(CryptoKeySpec, runtime);
  }

  isEmpty(): boolean {
    return this.keyPem === '';
  }

  load(text: string, publicOnly: boolean): number {
    try {
      this.keyPem = publicOnly
        ? createPublicKey(text).export({ type: 'spki', format: 'pem' }).toString()
        : createPrivateKey(text).export({ type: 'pkcs8', format: 'pem' }).toString();
      this.publicOnly = publicOnly;
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
  construct: (runtime) => new CryptoKey(runtime),
  methods: {
    load_from_string: {
      params: [
        { name: 'string_key', type: 'String' },
        { name: 'public_only', type: 'bool', default: () => false },
      ],
      returns: 'Error',
      call(self, [text, publicOnly], ctx) {
        const error = self.load(String(text), publicOnly === true);
        if (error !== ErrorCode.OK) ctx.warn('CryptoKey.load_from_string: the text is not a PEM key.');
        return int(error);
      },
    },
    save_to_string: {
      params: [{ name: 'public_only', type: 'bool', default: () => false }],
      returns: 'String',
      call: (self, [publicOnly]) => self.save(publicOnly === true),
    },
    is_public_only: { params: [], returns: 'bool', call: (self) => self.publicOnly },
  },
};
