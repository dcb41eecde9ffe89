// `dtls-lab cert`: creates the development certificate `dtls-lab echo` uses (or shows the stored
// one): a self-signed certificate and key for localhost / 127.0.0.1 in the echo server's store
// (engine/echo/certificate-store.ts). Prints the paths, the SHA-256 fingerprint, the subject, the
// subject alternative names and the validity, or all of it as JSON.

import { X509Certificate } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { CertificateError, defaultConfigDir, loadOrCreateCertificate, storedCertificatePaths, type KeyType, type StoredCertificate } from '../echo/certificate-store';

export const CERT_USAGE = `  dtls-lab cert [--config-dir DIR | --out DIR] [--ecdsa] [--force] [--json]
      Creates the development certificate the echo server uses (or shows the stored one):
      DIR/echo-server-rsa.crt + .key (ecdsa: echo-server-ecdsa.*), CN localhost, SAN DNS:localhost
      IP:127.0.0.1, 10 years. Prints the paths, SHA-256 fingerprint, names and validity.
      --config-dir DIR, --out DIR (the same; default $XDG_CONFIG_HOME/godot-dtls-lab)
      --ecdsa (P-256 instead of RSA-2048)   --force (write a new one over the stored one)
      --json (one JSON object on stdout)`;

export const CERT_HELP = `Usage:
${CERT_USAGE}

"dtls-lab echo --config-dir DIR" serves with the same certificate. Godot loads the files with
X509Certificate.load() and CryptoKey.load(); a client trusts the certificate with
TLSOptions.client(cert). Keep the key out of version control (it is written with mode 600).
Exit codes: 0 done; 1 the stored files are not a certificate and its key (--force replaces them);
2 usage error or a folder the files cannot be written into.`;

export interface CertIo {
  out(text: string): void;
  err(text: string): void;
  env?: NodeJS.ProcessEnv;
}

export interface CertArguments {
  /** Absent: the echo server's default folder. */
  dir?: string;
  keyType: KeyType;
  force: boolean;
  json: boolean;
}

export class CertUsageError extends Error {}

export function parseCertArguments(argv: string[]): CertArguments {
  const args: CertArguments = { keyType: 'rsa', force: false, json: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    switch (arg) {
      case '--config-dir':
      case '--out': {
        const value = argv[++i];
        if (value === undefined || value.trim() === '') throw new CertUsageError(`${arg} needs a folder.`);
        if (args.dir !== undefined) throw new CertUsageError('--config-dir and --out name the same folder: give one of them, once.');
        args.dir = value;
        break;
      }
      case '--ecdsa': args.keyType = 'ecdsa'; break;
      case '--force': args.force = true; break;
      case '--json': args.json = true; break;
      default:
        throw new CertUsageError(arg.startsWith('-') ? `Unknown cert option "${arg}".` : `Unexpected argument "${arg}".`);
    }
  }
  return args;
}

/** What the command reports about a certificate (also its --json output). */
export interface CertificateReport {
  /** `generated` (none was stored), `renewed` (--force) or `reused`. */
  action: 'generated' | 'renewed' | 'reused';
  certPath: string;
  keyPath: string;
  keyType: KeyType;
  /** SHA-256, colon-separated upper-case hex (as `openssl x509 -fingerprint -sha256` prints it). */
  fingerprint: string;
  /** e.g. `CN=localhost, O=Godot DTLS Lab echo server` */
  subject: string;
  commonName?: string;
  /** e.g. `["DNS:localhost", "IP Address:127.0.0.1"]` */
  subjectAltNames: string[];
  /** ISO 8601. */
  validFrom: string;
  validTo: string;
}

export function certificateReport(cert: StoredCertificate, action: CertificateReport['action']): CertificateReport {
  const x509 = new X509Certificate(cert.certificatePem);
  const subjectParts = x509.subject.split('\n').filter((part) => part !== '');
  const commonName = subjectParts.find((part) => part.startsWith('CN='))?.slice(3);
  return {
    action,
    certPath: resolve(cert.certPath),
    keyPath: resolve(cert.keyPath),
    keyType: cert.keyType,
    fingerprint: cert.fingerprint,
    subject: subjectParts.join(', '),
    ...(commonName !== undefined ? { commonName } : {}),
    subjectAltNames: x509.subjectAltName ? x509.subjectAltName.split(', ') : [],
    validFrom: new Date(x509.validFrom).toISOString(),
    validTo: new Date(x509.validTo).toISOString(),
  };
}

function describe(report: CertificateReport, dirOption: string): string[] {
  const kind = report.keyType === 'rsa' ? 'RSA-2048' : 'ECDSA P-256';
  const what = { generated: 'generated now', renewed: 'renewed now (--force)', reused: 'stored; reused (--force writes a new one)' }[report.action];
  const day = (iso: string) => iso.replace('T', ' ').replace(/\.\d{3}Z$/, ' UTC');
  return [
    `development certificate (${kind}), ${what}`,
    `  certificate: ${report.certPath}`,
    `  private key: ${report.keyPath} (mode 600; keep it out of version control)`,
    `  SHA-256 fingerprint: ${report.fingerprint}`,
    `  subject: ${report.subject}`,
    `  subject alternative names: ${report.subjectAltNames.join(', ') || 'none'}`,
    `  valid from ${day(report.validFrom)} to ${day(report.validTo)}`,
    `The echo server uses it: dtls-lab echo${dirOption}${report.keyType === 'ecdsa' ? ' --ecdsa' : ''}`,
  ];
}

/** Why `dir` cannot hold the files (a file, or a path through a file); undefined when it can be tried. */
function folderProblem(dir: string): string | undefined {
  try {
    const stat = statSync(dir, { throwIfNoEntry: false });
    return stat && !stat.isDirectory() ? `${dir} is a file, not a folder` : undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOTDIR' ? `${dir} goes through a file, not a folder` : undefined;
  }
}

/** Runs the cert command; returns the exit code. */
export function certCommand(argv: string[], io: CertIo): number {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(CERT_HELP);
    return 0;
  }
  let args: CertArguments;
  try {
    args = parseCertArguments(argv);
  } catch (error) {
    if (!(error instanceof CertUsageError)) throw error;
    io.err(`dtls-lab cert: ${error.message}\n\n${CERT_USAGE}`);
    return 2;
  }
  const dir = args.dir ?? defaultConfigDir(io.env ?? process.env);
  const notAFolder = folderProblem(dir);
  if (notAFolder) {
    io.err(`dtls-lab cert: ${notAFolder}; give a folder (it is created when missing) with --config-dir DIR.`);
    return 2;
  }
  const stored = storedCertificatePaths(dir, args.keyType);
  const existed = existsSync(stored.certPath) && existsSync(stored.keyPath);
  let cert: StoredCertificate;
  try {
    cert = loadOrCreateCertificate({ configDir: dir, keyType: args.keyType, renew: args.force });
  } catch (error) {
    if (error instanceof CertificateError) {
      io.err(`dtls-lab cert: the stored certificate in ${dir} is not usable: ${error.message}. Run again with --force to replace it.`);
      return 1;
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== undefined) {
      io.err(`dtls-lab cert: cannot write the certificate into ${dir}: ${(error as Error).message}`);
      return 2;
    }
    throw error;
  }
  const report = certificateReport(cert, !cert.created ? 'reused' : existed ? 'renewed' : 'generated');
  if (args.json) io.out(JSON.stringify(report, null, 2));
  else for (const line of describe(report, args.dir !== undefined ? ` --config-dir ${args.dir}` : '')) io.out(line);
  return 0;
}
