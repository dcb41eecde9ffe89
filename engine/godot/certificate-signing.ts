// Signs a node-forge certificate with Node's crypto (OpenSSL) instead of forge's JavaScript RSA.
// The result is the same certificate byte for byte — RSASSA-PKCS1-v1_5 with SHA-256 is
// deterministic — made in ~1 ms instead of 35–160 ms for an RSA-2048 key, which was most of what
// Crypto.generate_self_signed_certificate() cost a run.

import { sign } from 'node:crypto';
import forge from 'node-forge';

/** forge.pki.getTBSCertificate exists (cert.sign() uses it) but is not in @types/node-forge. */
const pki = forge.pki as typeof forge.pki & { getTBSCertificate(cert: forge.pki.Certificate): forge.asn1.Asn1 };

/** Sets `cert`'s signature (sha256WithRSAEncryption) made with the RSA private key `privateKeyPem`, as forge's cert.sign() would. */
export function signCertificateSha256(cert: forge.pki.Certificate, privateKeyPem: string): void {
  const oid = forge.pki.oids.sha256WithRSAEncryption;
  cert.signatureOid = oid;
  cert.siginfo.algorithmOid = oid;
  const tbs = pki.getTBSCertificate(cert);
  (cert as forge.pki.Certificate & { tbsCertificate: forge.asn1.Asn1 }).tbsCertificate = tbs;
  const der = Buffer.from(forge.asn1.toDer(tbs).getBytes(), 'binary');
  cert.signature = sign('sha256', der, privateKeyPem).toString('binary');
}
