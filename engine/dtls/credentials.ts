// Server credentials from PEM: the certificate chain (leaf first) and a matching RSA or ECDSA key.

import { X509Certificate, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { splitPemCertificates } from './certificate-check';
import { ecCurveOf, keyTypeOf } from './signature-schemes';

export interface ServerCredentials {
  chainDer: Buffer[];
  leaf: X509Certificate;
  privateKey: KeyObject;
  keyType: 'ec' | 'rsa';
  /** For an EC key: its curve. */
  curve?: 'P-256' | 'P-384' | 'P-521';
}

/** Parsed credentials by PEM pair: every connection of a server loads the same ones, and parsing
 * them (certificate, private key, key match check) cost a third of a handshake. */
const loaded = new Map<string, ServerCredentials>();
const MAX_LOADED = 16;

/** Parses and cross-checks credentials (cached per PEM pair); throws a plain Error describing the problem. */
export function loadServerCredentials(certificatePem: string, privateKeyPem: string): ServerCredentials {
  const key = `${certificatePem}\u0000${privateKeyPem}`;
  const cached = loaded.get(key);
  if (cached) return cached;
  const credentials = parseServerCredentials(certificatePem, privateKeyPem);
  if (loaded.size >= MAX_LOADED) loaded.delete(loaded.keys().next().value!);
  loaded.set(key, credentials);
  return credentials;
}

function parseServerCredentials(certificatePem: string, privateKeyPem: string): ServerCredentials {
  const pems = splitPemCertificates(certificatePem);
  if (pems.length === 0) throw new Error('certificatePem holds no "BEGIN CERTIFICATE" block');
  const certificates = pems.map((pem) => new X509Certificate(pem));
  const leaf = certificates[0]!;
  const privateKey = createPrivateKey(privateKeyPem);
  const keyType = keyTypeOf(privateKey);
  if (!keyType) throw new Error(`unsupported private key type '${privateKey.asymmetricKeyType}' (need RSA or EC)`);
  const curve = ecCurveOf(privateKey);
  if (keyType === 'ec' && !curve) {
    throw new Error(`unsupported EC curve '${privateKey.asymmetricKeyDetails?.namedCurve}' (need P-256, P-384 or P-521)`);
  }
  const derived = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  const certified = leaf.publicKey.export({ type: 'spki', format: 'der' });
  if (!derived.equals(certified)) throw new Error('private key does not match the first certificate in certificatePem');
  return { chainDer: certificates.map((certificate) => certificate.raw), leaf, privateKey, keyType, ...(curve ? { curve } : {}) };
}
