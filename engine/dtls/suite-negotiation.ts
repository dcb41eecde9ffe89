// Which cipher suites each side offers or accepts, and the server's choice of suite, group and
// signature scheme from a ClientHello (RFC 5246 §7.4.1.2-3, RFC 8422 §4-5, RFC 4279, RFC 5489).
// Only AEAD suites are implemented; CBC suites a client offers are skipped and reported.

import {
  CIPHER_SUITES,
  EC_POINT_FORMAT_UNCOMPRESSED,
  ExtensionType,
  NamedGroup,
  cipherSuiteByName,
  groupName,
  type CipherSuiteInfo,
} from './constants';
import type { ServerCredentials } from './credentials';
import { parseEcPointFormats, parseUint16List } from './extensions';
import { handshakeFailure, illegalParameter } from './failure';
import { findExtension, type ClientHello } from './handshake-messages';
import { chooseSignatureScheme, type SignatureScheme } from './signature-schemes';
import { SIGNALLING_SUITES, cipherSuiteLabel, nonAeadKind, otherSuiteCode } from './suite-names';

export const CERTIFICATE_SUITES: readonly CipherSuiteInfo[] = CIPHER_SUITES.filter((suite) => suite.authentication !== 'psk');
export const PSK_SUITES: readonly CipherSuiteInfo[] = CIPHER_SUITES.filter((suite) => suite.authentication === 'psk');

/**
 * Turns IANA names into suites, keeping their order and dropping duplicates. Throws a RangeError
 * naming the problem for unknown names and for suites this engine does not implement (CBC, ...).
 */
export function resolveCipherSuites(names: readonly string[], what = 'cipherSuites'): CipherSuiteInfo[] {
  if (names.length === 0) throw new RangeError(`${what} is empty`);
  const suites: CipherSuiteInfo[] = [];
  for (const name of names) {
    const suite = cipherSuiteByName(name);
    if (suite) {
      if (!suites.includes(suite)) suites.push(suite);
      continue;
    }
    const supported = CIPHER_SUITES.map((candidate) => candidate.name).join(', ');
    const other = otherSuiteCode(name);
    if (other !== undefined) {
      const kind = nonAeadKind(other) === 'cbc' ? 'a CBC suite' : nonAeadKind(other) === 'stream-or-null' ? 'not an AEAD suite' : 'not implemented';
      throw new RangeError(`${what}: ${name} is ${kind}; this engine supports AEAD suites only: ${supported}`);
    }
    throw new RangeError(`${what}: unknown cipher suite '${name}' (use IANA names: ${supported})`);
  }
  return suites;
}

/** The suites a client offers: `cipherSuites` if given, else the certificate suites, or the PSK suites when it has a PSK. */
export function clientOfferedSuites(names: readonly string[] | undefined, hasPsk: boolean): CipherSuiteInfo[] {
  if (!names) return [...(hasPsk ? PSK_SUITES : CERTIFICATE_SUITES)];
  const suites = resolveCipherSuites(names);
  const psk = suites.filter((suite) => suite.authentication === 'psk');
  if (psk.length > 0 && !hasPsk) {
    throw new RangeError(`cipherSuites lists ${psk.map((suite) => suite.name).join(', ')}, which need the psk option`);
  }
  return suites;
}

export interface ServerSuitePolicy {
  /** Enabled suites in the server's preference order. */
  suites: readonly CipherSuiteInfo[];
  /** Use the client's order of suites (and groups) instead of ours. */
  preferClientOrder: boolean;
  /** Our groups in preference order. */
  groups: readonly NamedGroup[];
  credentials: ServerCredentials | undefined;
  /** Whether PSK suites can be served (a pskCallback is set). */
  psk: boolean;
}

export interface SkippedSuite {
  suite: string;
  reason: string;
}

export interface ServerSuiteChoice {
  suite: CipherSuiteInfo;
  /** ECDHE suites only. */
  group?: NamedGroup;
  /** Certificate suites only. */
  signatureScheme?: SignatureScheme;
  /** The client's cipher_suites, named (signalling values left out). */
  offered: string[];
  /** Suites the client offered that are not AEAD suites of ours (CBC, RC4, CCM, static RSA, ...). */
  unsupported: string[];
  /** Our suites the client offered that could not be used here, with the reason. */
  skipped: SkippedSuite[];
}

const KEY_TYPE_LABEL = { ec: 'ECDSA', rsa: 'RSA' } as const;

/** Chooses suite, group and signature scheme; throws DtlsFailure(handshake_failure) with the reason. */
export function chooseServerSuite(hello: ClientHello, policy: ServerSuitePolicy): ServerSuiteChoice {
  const offeredCodes = hello.cipherSuites.filter((code) => !SIGNALLING_SUITES.has(code));
  const offered = offeredCodes.map(cipherSuiteLabel);
  const ours = new Set(CIPHER_SUITES.map((suite) => suite.code));
  const unsupported = offeredCodes.filter((code) => !ours.has(code)).map(cipherSuiteLabel);

  // What the ECDHE and certificate suites would use.
  const groupsExtension = findExtension(hello.extensions, ExtensionType.SupportedGroups);
  // RFC 8422 §4: without supported_groups any curve may be used; secp256r1 is the safe choice.
  const clientGroups = groupsExtension ? parseUint16List(groupsExtension.data, 'supported_groups') : [NamedGroup.Secp256r1];
  const group = policy.preferClientOrder
    ? clientGroups.find((code) => policy.groups.includes(code))
    : policy.groups.find((code) => clientGroups.includes(code));
  const pointFormats = findExtension(hello.extensions, ExtensionType.EcPointFormats);
  // RFC 8422 §5.1.2: uncompressed points are mandatory; a client that leaves them out is aborted.
  if (pointFormats && !parseEcPointFormats(pointFormats.data).includes(EC_POINT_FORMAT_UNCOMPRESSED)) {
    throw illegalParameter('client does not accept uncompressed EC points');
  }
  const schemesExtension = findExtension(hello.extensions, ExtensionType.SignatureAlgorithms);
  const clientSchemes = schemesExtension ? parseUint16List(schemesExtension.data, 'signature_algorithms') : undefined;
  const credentials = policy.credentials;
  const scheme = credentials ? chooseSignatureScheme(credentials.keyType, clientSchemes, credentials.curve) : undefined;

  const unusable = (suite: CipherSuiteInfo): string | undefined => {
    if (suite.authentication === 'psk') {
      if (!policy.psk) return 'no pskCallback is configured on this server';
    } else {
      if (!credentials) return 'no certificate is configured on this server';
      if (credentials.keyType !== suite.authentication) {
        return `needs an ${KEY_TYPE_LABEL[suite.authentication]} certificate; ours is ${KEY_TYPE_LABEL[credentials.keyType]}`;
      }
      if (!scheme) {
        return `the client's signature_algorithms allow no scheme for our ${KEY_TYPE_LABEL[credentials.keyType]} key`;
      }
    }
    if (suite.ecdhe) {
      if (group === undefined) {
        return `no common group (ours: ${policy.groups.map(groupName).join(', ')}; the client's: ${clientGroups.map(groupName).join(', ')})`;
      }
    }
    return undefined;
  };

  const enabled = new Set(policy.suites.map((suite) => suite.code));
  const skipped: SkippedSuite[] = [];
  const candidates = policy.preferClientOrder
    ? offeredCodes.flatMap((code) => CIPHER_SUITES.filter((suite) => suite.code === code))
    : policy.suites.filter((suite) => offeredCodes.includes(suite.code));
  if (!policy.preferClientOrder) {
    for (const code of offeredCodes) {
      const suite = CIPHER_SUITES.find((candidate) => candidate.code === code);
      if (suite && !enabled.has(code)) skipped.push({ suite: suite.name, reason: 'not enabled in cipherSuites' });
    }
  }
  for (const suite of candidates) {
    if (!enabled.has(suite.code)) {
      skipped.push({ suite: suite.name, reason: 'not enabled in cipherSuites' });
      continue;
    }
    const reason = unusable(suite);
    if (reason) {
      skipped.push({ suite: suite.name, reason });
      continue;
    }
    return {
      suite,
      ...(suite.ecdhe ? { group: group! } : {}),
      ...(suite.authentication !== 'psk' ? { signatureScheme: scheme! } : {}),
      offered,
      unsupported,
      skipped,
    };
  }

  const supported = policy.suites.map((suite) => suite.name).join(', ');
  if (skipped.length === 0) {
    const cbcOnly = offeredCodes.length > 0 && offeredCodes.every((code) => nonAeadKind(code) === 'cbc');
    if (cbcOnly) {
      throw handshakeFailure(`the client offered only CBC suites (${offered.join(', ')}); this engine supports AEAD suites only (${supported})`);
    }
    throw handshakeFailure(`the client offered none of our cipher suites (${supported}); it offered ${offered.join(', ') || 'nothing'}`);
  }
  const unsupportedNote = unsupported.length > 0 ? `; also offered, not supported: ${unsupported.join(', ')}` : '';
  throw handshakeFailure(`no offered cipher suite can be used: ${skipped.map((entry) => `${entry.suite}: ${entry.reason}`).join('; ')}${unsupportedNote}`);
}
