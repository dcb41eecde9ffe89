// Server credentials from PEM: the certificate chain (leaf first) and a matching RSA or ECDSA key.

import { X509Certificate, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { splitPemCertificates } from './certificate-check';
import { keyTypeOf } from './signature-schemes';

export interface ServerCredentials {
  chainDer: Buffer[];
  leaf: X509Certificate;
  privateKey: KeyObject;
  keyType: 'ec' | 'rsa';
}

/** Parses and cross-checks credentials; throws a plain Error describing the problem. */
export function loadServerCredentials(certificatePem: string, privateKeyPem: string): ServerCredentials {
  const pems = splitPemCertificates(certificatePem);
  if (pems.length === 0) throw new Error('certificatePem holds no "BEGIN CERTIFICATE" block');
  const certificates = pems.map((pem) => new X509Certificate(pem));
  const leaf = certificates[0]!;
  const privateKey = createPrivateKey(privateKeyPem);
  const keyType = keyTypeOf(privateKey);
  if (!keyType) throw new Error(`unsupported private key type '${privateKey.asymmetricKeyType}' (need RSA or EC)`);
  const derived = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  const certified = leaf.publicKey.export({ type: 'spki', format: 'der' });
  if (!derived.equals(certified)) throw new Error('private key does not match the first certificate in certificatePem');
  return { chainDer: certificates.map((certificate) => certificate.raw), leaf, privateKey, keyType };
}
