// Checking a peer's certificate chain with Node's X509Certificate: path to a trusted certificate
// (checkIssued + verify, telling an issuer whose signature does not verify from a missing one),
// validity dates, the leaf's keyUsage / extKeyUsage, and host name / IP (checkHost / checkIP).
// Failures name what was expected and what was found.

import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { rootCertificates } from 'node:tls';
import { AlertDescription } from './constants';
import { checkLeafUsage } from './certificate-usage';
import { DtlsFailure } from './failure';

export type VerifyOptions =
  | { mode: 'none' }
  | {
      mode: 'chain';
      /** PEM strings (each may hold several certificates), or 'system' for Node's bundled roots. */
      trustedCaPems: string[] | 'system';
      /** Name the certificate must be valid for (DNS name or IP address). */
      hostname?: string;
      /** Time used for validity checks; defaults to the current wall-clock time. */
      at?: () => Date;
    };

const MAX_CHAIN_DEPTH = 10;

export function splitPemCertificates(pem: string): string[] {
  return pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

let systemRoots: X509Certificate[] | undefined;

function trustAnchors(trusted: string[] | 'system'): X509Certificate[] {
  if (trusted === 'system') {
    systemRoots ??= rootCertificates.map((pem) => new X509Certificate(pem));
    return systemRoots;
  }
  return trusted.flatMap((pem) => {
    let parsed = parsedAnchors.get(pem);
    if (!parsed) {
      parsed = splitPemCertificates(pem).map((one) => new X509Certificate(one));
      if (parsedAnchors.size >= 64) parsedAnchors.delete(parsedAnchors.keys().next().value!);
      parsedAnchors.set(pem, parsed);
    }
    return parsed;
  });
}

/** Trusted CA PEMs already parsed (a client checks every handshake against the same ones). */
const parsedAnchors = new Map<string, X509Certificate[]>();

/** "CN=localhost, SAN [localhost, 127.0.0.1]" */
export function describeCertificateNames(certificate: X509Certificate): string {
  const cn = certificate.subject
    .split('\n')
    .filter((line) => line.startsWith('CN='))
    .join(', ');
  const sans = (certificate.subjectAltName ?? '')
    .split(', ')
    .filter((entry) => entry.length > 0)
    .map((entry) => entry.replace(/^DNS:/, '').replace(/^IP Address:/, ''));
  return `${cn || `subject "${certificate.subject.replace(/\n/g, ', ')}"`}, SAN [${sans.join(', ')}]`;
}

function subjectLine(certificate: X509Certificate): string {
  return certificate.subject.replace(/\n/g, ', ');
}

function issuedBy(child: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return child.checkIssued(issuer) && child.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

/** Whose certificate is checked: the server's (by a client) or a client's (by a server). */
export type CertificateRole = 'server' | 'client';

/**
 * Checks the chain (leaf first, as sent in Certificate). Returns the parsed leaf; throws
 * DtlsFailure with kind 'bad-certificate' | 'untrusted-certificate' | 'bad-signature' |
 * 'expired-certificate' | 'not-yet-valid-certificate' | 'certificate-usage' | 'hostname-mismatch'.
 * `role` says whose certificate it is ('server' by default): it names it in messages and picks the
 * extKeyUsage the leaf needs (serverAuth or clientAuth). With mode 'none' nothing is checked.
 */
export function checkServerCertificate(chainDer: Buffer[], options: VerifyOptions, role: CertificateRole = 'server'): X509Certificate {
  if (chainDer.length === 0) {
    throw new DtlsFailure('bad-certificate', `${role} sent no certificate`, AlertDescription.HandshakeFailure);
  }
  let chain: X509Certificate[];
  try {
    chain = chainDer.map((der) => new X509Certificate(der));
  } catch (error) {
    throw new DtlsFailure('bad-certificate', `${role} certificate does not parse: ${(error as Error).message}`, AlertDescription.BadCertificate);
  }
  const leaf = chain[0]!;
  if (options.mode === 'none') return leaf;

  const now = options.at ? options.at() : new Date();
  const anchors = trustAnchors(options.trustedCaPems);
  const path = buildPath(chain, anchors, role);

  for (const certificate of path) {
    const notBefore = new Date(certificate.validFrom);
    const notAfter = new Date(certificate.validTo);
    const which = certificate === leaf ? `${role} certificate` : `CA certificate ${subjectLine(certificate)}`;
    if (now.getTime() > notAfter.getTime()) {
      throw new DtlsFailure('expired-certificate', `${which} expired on ${notAfter.toISOString()} (now ${now.toISOString()})`, AlertDescription.CertificateExpired);
    }
    if (now.getTime() < notBefore.getTime()) {
      throw new DtlsFailure('not-yet-valid-certificate', `${which} is not valid before ${notBefore.toISOString()} (now ${now.toISOString()})`, AlertDescription.BadCertificate);
    }
  }

  checkLeafUsage(leaf, role, subjectLine(leaf));

  if (options.hostname !== undefined && options.hostname !== '') {
    const wanted = options.hostname;
    const matches = isIP(wanted) !== 0 ? leaf.checkIP(wanted) !== undefined : leaf.checkHost(wanted) !== undefined;
    if (!matches) {
      throw new DtlsFailure(
        'hostname-mismatch',
        `certificate is for ${describeCertificateNames(leaf)}, not for '${wanted}'`,
        AlertDescription.BadCertificate,
      );
    }
  }
  return leaf;
}

/** `issuer`'s name (and key identifier) fit `child`, but its signature does not verify with `issuer`'s key. */
function signatureFails(child: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return child.checkIssued(issuer) && !child.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

/**
 * Leaf up to (and including) a trust anchor. Throws 'bad-signature' when a certificate that is not
 * validly self-signed names an issuer we have (trusted, or sent in the chain) whose key does not
 * verify its signature (an altered certificate, or one signed by another key under the same name:
 * with no key identifiers the two cannot be told apart), and 'untrusted-certificate' when no
 * trusted certificate is found.
 */
function buildPath(chain: X509Certificate[], anchors: X509Certificate[], role: CertificateRole): X509Certificate[] {
  const leaf = chain[0]!;
  const path: X509Certificate[] = [leaf];
  let current = leaf;
  for (let depth = 0; depth < MAX_CHAIN_DEPTH; depth++) {
    const anchor = anchors.find((candidate) => candidate.fingerprint256 === current.fingerprint256 || issuedBy(current, candidate));
    if (anchor) {
      if (anchor.fingerprint256 !== current.fingerprint256) path.push(anchor);
      return path;
    }
    const intermediate = chain.find((candidate) => candidate !== current && !path.includes(candidate) && candidate.ca && issuedBy(current, candidate));
    if (!intermediate) {
      // A validly self-signed certificate is a root that is not trusted, whatever else shares its name.
      const claimed = issuedBy(current, current)
        ? undefined
        : [...anchors, ...chain].find((candidate) => candidate !== current && candidate.fingerprint256 !== current.fingerprint256 && signatureFails(current, candidate));
      if (claimed) {
        const which = current === leaf ? `${role} certificate` : `CA certificate`;
        const from = anchors.includes(claimed) ? 'trusted' : 'sent in the chain';
        throw new DtlsFailure(
          'bad-signature',
          `the signature of the ${which} (${subjectLine(current)}) does not verify with the key of its issuer (${subjectLine(claimed)}, ${from}): the certificate was altered or signed by another key`,
          AlertDescription.BadCertificate,
        );
      }
      break;
    }
    path.push(intermediate);
    current = intermediate;
  }
  const selfSigned = issuedBy(current, current);
  const reason = selfSigned
    ? `${current === leaf ? `${role} certificate` : 'its root'} (${subjectLine(current)}) is self-signed and not in the trusted set`
    : `no trusted certificate issued ${subjectLine(current)} (issuer ${current.issuer.replace(/\n/g, ', ')})`;
  throw new DtlsFailure('untrusted-certificate', `certificate chain is not trusted: ${reason}`, AlertDescription.UnknownCa);
}
