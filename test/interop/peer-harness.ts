// Shared helpers for the real-peer interop tests (OpenSSL, GnuTLS, Godot 3 / mbedTLS, tshark):
// free ports on 127.0.0.1, a temporary directory for key material, child processes that are always
// wrapped in `timeout` and stopped by PID, an echo exchange over our UDP client, and the checks
// that say which apt package to install when a peer binary is missing (tests fail, never skip).

import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { DtlsEvent, DtlsUdpClient } from '../../engine/dtls';
import { CIPHER_SUITES } from '../../engine/dtls/constants';
import type { Credentials } from '../unit/dtls-helpers';

/** A UDP port that was free a moment ago on 127.0.0.1. */
export function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}

export class TempDir {
  readonly path = mkdtempSync(join(tmpdir(), 'dtls-interop-'));

  writeCredentials(name: string, credentials: Credentials): { cert: string; key: string } {
    const cert = join(this.path, `${name}-cert.pem`);
    const key = join(this.path, `${name}-key.pem`);
    writeFileSync(cert, credentials.certificatePem);
    writeFileSync(key, credentials.privateKeyPem);
    return { cert, key };
  }

  /** Writes a file into the directory and returns its path. */
  write(name: string, contents: string | Uint8Array): string {
    const path = join(this.path, name);
    writeFileSync(path, contents);
    return path;
  }

  /** A fresh empty subdirectory (e.g. a HOME for Godot). */
  subdir(prefix: string): string {
    return mkdtempSync(join(this.path, `${prefix}-`));
  }

  remove(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}

/** Fails (does not skip) when `tool` is not on PATH, naming the apt package that provides it. */
export function requireTool(tool: string, aptPackage: string): void {
  const found = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8', timeout: 5000 });
  if (found.status !== 0) {
    assert.fail(`'${tool}' is not installed: run \`apt-get update && apt-get install -y ${aptPackage}\` (CI installs it; these interop tests never skip)`);
  }
}

/** Runs tshark with `args` (bounded to 15 s) and returns its stdout; a non-zero exit fails the test. */
export async function tshark(args: string[]): Promise<string> {
  const child = new PeerProcess('tshark', args, { timeoutSeconds: 15 });
  try {
    const code = await child.waitForExit(15_000);
    assert.equal(code, 0, `tshark ${args.join(' ')} failed:\n${child.output}`);
    return child.stdout;
  } finally {
    await child.kill();
  }
}

export interface PeerProcessOptions {
  /** `timeout -s KILL` limit for the child (default 15 s). */
  timeoutSeconds?: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Name used in error messages (default: the command). */
  name?: string;
}

/** A peer binary run as `timeout -s KILL N command args...`, with its output collected. */
export class PeerProcess {
  private readonly child: ChildProcessWithoutNullStreams;
  readonly name: string;
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;

  constructor(command: string, args: string[], options: PeerProcessOptions = {}) {
    this.name = options.name ?? command;
    this.child = spawn('timeout', ['-s', 'KILL', String(options.timeoutSeconds ?? 15), command, ...args], {
      stdio: 'pipe',
      ...(options.env ? { env: options.env } : {}),
      ...(options.cwd ? { cwd: options.cwd } : {}),
    });
    this.child.stdout.setEncoding('utf8');
    this.child.stderr.setEncoding('utf8');
    this.child.stdout.on('data', (chunk: string) => (this.stdout += chunk));
    this.child.stderr.on('data', (chunk: string) => (this.stderr += chunk));
    this.child.stdin.on('error', () => undefined);
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get output(): string {
    return this.stdout + this.stderr;
  }

  /** Exit code once exited (null while running or when killed by a signal). */
  get exitCode(): number | null {
    return this.child.exitCode;
  }

  /** The signal that ended the process (e.g. 'SIGSEGV'; `timeout` re-raises its child's), or null. */
  get signal(): NodeJS.Signals | null {
    return this.child.signalCode;
  }

  write(text: string): void {
    this.child.stdin.write(text);
  }

  endInput(): void {
    this.child.stdin.end();
  }

  /** Resolves when stdout or stderr matches, rejects after `ms` or if the process exits first. */
  waitFor(pattern: RegExp, ms = 5000): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (pattern.test(this.output)) {
          cleanup();
          resolve();
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`${this.name} did not print ${pattern} within ${ms} ms; output:\n${this.output}`));
      }, ms);
      const onExit = () => {
        setImmediate(() => {
          cleanup();
          if (pattern.test(this.output)) return resolve();
          reject(new Error(`${this.name} exited before printing ${pattern}; output:\n${this.output}`));
        });
      };
      const cleanup = () => {
        clearTimeout(timer);
        this.child.stdout.off('data', check);
        this.child.stderr.off('data', check);
        this.child.off('exit', onExit);
      };
      this.child.stdout.on('data', check);
      this.child.stderr.on('data', check);
      this.child.once('exit', onExit);
      check();
    });
  }

  /** Waits for the exit (up to `ms`) and returns the exit code; rejects if it is still running. */
  async waitForExit(ms = 10_000): Promise<number | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${this.name} still running after ${ms} ms; output:\n${this.output}`)), ms);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Kills the `timeout` wrapper by PID (it passes SIGTERM on to the peer), then SIGKILL if needed. */
  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGTERM');
      const killed = await Promise.race([this.exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 1000))]);
      if (!killed) this.child.kill('SIGKILL');
    }
    await this.exited;
  }
}

/** IANA names of the suites this engine implements that authenticate with a certificate. */
export function certificateSuites(authentication?: 'ec' | 'rsa'): string[] {
  return CIPHER_SUITES.filter((suite) => suite.authentication !== 'psk' && (!authentication || suite.authentication === authentication)).map(
    (suite) => suite.name,
  );
}

/** Asserts that `suite` is one of our AEAD certificate suites (for peers whose choice we do not pin). */
export function assertSupportedAeadSuite(suite: string | undefined, authentication: 'ec' | 'rsa'): void {
  assert.ok(suite, 'no suite negotiated');
  assert.ok(certificateSuites(authentication).includes(suite), `negotiated ${suite}, not one of our ${authentication.toUpperCase()} AEAD suites`);
  assert.match(suite, /_(AES_128_GCM|AES_256_GCM|CHACHA20_POLY1305)_SHA(256|384)$/);
}

export const ECHO_MESSAGES = ['first datagram', 'second datagram: ÄÖÜ ✓', 'third datagram, the last'];

/** Sends each message over our client and expects it back unchanged (one at a time). */
export async function echoExchange(client: DtlsUdpClient, messages = ECHO_MESSAGES, transform: (m: string) => string = (m) => m, timeoutMs = 5000): Promise<void> {
  for (const message of messages) {
    client.send(message);
    const reply = Buffer.from(await client.receive(timeoutMs)).toString('utf8');
    assert.equal(reply, transform(message));
  }
}

/**
 * The error a connection attempt that must fail ends with; a handshake that completes instead is
 * closed and fails the test.
 */
export function handshakeFailure(connecting: Promise<DtlsUdpClient>): Promise<unknown> {
  return connecting.then(
    async (client) => {
      await client.close();
      return assert.fail('handshake should fail');
    },
    (error: unknown) => error,
  );
}

/** Short one-line summary of events for assertion messages. */
export function describeEvents(events: DtlsEvent[], last = 12): string {
  return events
    .filter((event) => event.type !== 'message')
    .slice(-last)
    .map((event) => {
      const { at: _at, type, ...rest } = event as DtlsEvent & Record<string, unknown>;
      const line = `${type} ${JSON.stringify(rest)}`;
      return line.length > 240 ? `${line.slice(0, 240)}...` : line;
    })
    .join('\n');
}

/** Prints a line that node --test shows as a comment, so a run records what was negotiated. */
export function note(text: string): void {
  process.stdout.write(`${text}\n`);
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Absolute path of a source file of this repository (compiled tests run from a build folder). */
export function repoFile(relativePath: string): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const candidate = join(dir, relativePath);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error(`cannot find ${relativePath} above ${__dirname}`);
  }
}

/**
 * Runs a Godot 3 script headless: `godot3-server --no-window -s script` with LANG=en_US.UTF-8, a
 * fresh HOME (Godot writes its user data there) as the working directory, and `env` added.
 */
export function runGodot3Script(script: string, env: Record<string, string>, home: string, timeoutSeconds = 18): PeerProcess {
  return new PeerProcess('godot3-server', ['--no-window', '-s', script], {
    name: 'godot3-server',
    timeoutSeconds,
    cwd: home,
    env: { ...process.env, LANG: 'en_US.UTF-8', HOME: home, ...env },
  });
}
