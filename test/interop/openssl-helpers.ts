// Running `openssl s_server` / `s_client` as DTLS peers: ephemeral ports on 127.0.0.1, every child
// wrapped in `timeout` and killed by PID in cleanup, output collected for assertions.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

  remove(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}

export class OpensslProcess {
  private readonly child: ChildProcessWithoutNullStreams;
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;

  constructor(args: string[], timeoutSeconds = 15) {
    this.child = spawn('timeout', ['-s', 'KILL', String(timeoutSeconds), 'openssl', ...args], { stdio: 'pipe' });
    this.child.stdout.on('data', (chunk: Buffer) => (this.stdout += chunk.toString()));
    this.child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.child.stdin.on('error', () => undefined);
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  get output(): string {
    return this.stdout + this.stderr;
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
        reject(new Error(`openssl did not print ${pattern} within ${ms} ms; output:\n${this.output}`));
      }, ms);
      const onExit = () => {
        setImmediate(() => {
          if (pattern.test(this.output)) return resolve();
          cleanup();
          reject(new Error(`openssl exited before printing ${pattern}; output:\n${this.output}`));
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

  /** Kills the `timeout` wrapper and with it openssl. */
  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGTERM');
      const killed = await Promise.race([this.exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 1000))]);
      if (!killed) this.child.kill('SIGKILL');
    }
    await this.exited;
  }
}
