// Key log lines in the NSS SSLKEYLOGFILE format, which Wireshark/tshark read to decrypt TLS and
// DTLS 1.2 captures: "CLIENT_RANDOM <64 hex digits> <96 hex digits>", lower-case hex (as OpenSSL's
// -keylogfile writes it). One line per handshake, full or resumed, on either side.

import { appendFileSync } from 'node:fs';

/** Called with one line, without a trailing newline. */
export type KeyLogListener = (line: string) => void;

export function keyLogLine(clientRandom: Uint8Array, masterSecret: Uint8Array): string {
  if (clientRandom.length !== 32) throw new RangeError(`client random must be 32 bytes, got ${clientRandom.length}`);
  if (masterSecret.length !== 48) throw new RangeError(`master secret must be 48 bytes, got ${masterSecret.length}`);
  return `CLIENT_RANDOM ${Buffer.from(clientRandom).toString('hex')} ${Buffer.from(masterSecret).toString('hex')}`;
}

/** A KeyLogListener that appends each line (plus "\n") to a file, e.g. the one SSLKEYLOGFILE names. */
export function keyLogFile(path: string): KeyLogListener {
  return (line) => appendFileSync(path, `${line}\n`, { mode: 0o600 });
}

/** Parses a key log line; undefined unless it is a well-formed CLIENT_RANDOM line. */
export function parseKeyLogLine(line: string): { clientRandom: Buffer; masterSecret: Buffer } | undefined {
  const match = /^CLIENT_RANDOM ([0-9a-fA-F]{64}) ([0-9a-fA-F]{96})$/.exec(line.trim());
  if (!match) return undefined;
  return { clientRandom: Buffer.from(match[1]!, 'hex'), masterSecret: Buffer.from(match[2]!, 'hex') };
}
