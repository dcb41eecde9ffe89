// RSA private keys for Crypto.generate_rsa(), generated ahead of use by a background worker thread.
//
// Generating an RSA-2048 key takes Node 60–500 ms (prime search varies), which dominates a run of a
// snippet that calls `crypto.generate_rsa(2048)` every time. Once a size has been asked for, the pool
// keeps `size` keys of that size made or in the making; take() hands out one (a key is never given
// twice) and asks the worker for the next. When the key is still in the making, take() waits for it
// (Atomics.wait on the slot the worker writes into) rather than making a second one at the same
// time: never more work than generating on the spot, and a head start of however long ago the key
// was asked for. Without a slot, take() generates the key right there, as before the pool existed.
// The worker is unref'd: it never keeps a process alive, and a key it was still making when the
// process exits is simply lost.

import { Worker } from 'node:worker_threads';
import { generateKeyPairSync } from 'node:crypto';

export interface RsaKeyPoolOptions {
  /** Keys made or in the making per key size (0: no pool, every key is generated on demand). */
  size: number;
  /** Key sizes pooled at most at once (the first ones asked for). */
  maxSizes: number;
}

/** Sizes the pool makes (bigger keys take the worker seconds; they are made on demand). */
const MAX_POOLED_BITS = 4096;
/** Bytes of PEM a slot holds (a 4096-bit PKCS#1 PEM is ~3.2 KB). */
const SLOT_BYTES = 8192;
/** How long take() waits for a key in the making before it makes one itself (the worker died). */
const WAIT_LIMIT_MS = 20_000;

/** Slot header (Int32): [0] state (0 making, 1 ready, 2 failed), [1] PEM length; then the PEM bytes. */
const HEADER_BYTES = 8;

/** The worker's program: for each slot it is sent, one PEM (PKCS#1) written into the slot. */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { generateKeyPairSync } = require('node:crypto');
parentPort.on('message', ({ bits, slot }) => {
  const header = new Int32Array(slot, 0, 2);
  try {
    const { privateKey } = generateKeyPairSync('rsa', {
      modulusLength: bits,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    });
    const bytes = Buffer.from(privateKey, 'utf8');
    if (bytes.length > slot.byteLength - ${HEADER_BYTES}) throw new Error('key too large for its slot');
    new Uint8Array(slot, ${HEADER_BYTES}).set(bytes);
    Atomics.store(header, 1, bytes.length);
    Atomics.store(header, 0, 1);
  } catch {
    Atomics.store(header, 0, 2);
  }
  Atomics.notify(header, 0);
});
`;

/** An RSA private key as PEM (PKCS#1), generated now. */
export function generateRsaPem(bits: number): string {
  // PEM straight from the key generation: exporting a KeyObject that the generation job made can
  // deadlock Node 20 when a garbage collection runs during the export (seen under the fuzzer).
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: bits,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  return privateKey;
}

interface Slot {
  buffer: SharedArrayBuffer;
  header: Int32Array;
}

export class RsaKeyPool {
  /** Per key size, the slots asked of the worker, oldest first. */
  private readonly slots = new Map<number, Slot[]>();
  private worker?: Worker;
  private broken = false;
  /** Keys handed out that were ready, waited for, or generated on the spot (benchmarks and tests). */
  readonly stats = { ready: 0, waited: 0, onDemand: 0 };

  constructor(private options: RsaKeyPoolOptions) {}

  /** Changes the pool (size 0 switches it off and forgets the keys it holds). */
  configure(options: Partial<RsaKeyPoolOptions>): void {
    this.options = { ...this.options, ...options };
    if (this.options.size === 0) this.slots.clear();
  }

  /** A fresh private key of `bits` bits as PEM, never handed out before. */
  take(bits: number): string {
    const pem = this.fromSlot(bits);
    this.refill(bits);
    if (pem !== undefined) return pem;
    this.stats.onDemand++;
    return generateRsaPem(bits);
  }

  /** Starts making a key of `bits` bits (e.g. before runs that will ask for one). */
  prefill(bits: number): void {
    this.refill(bits);
  }

  /** Keys of `bits` bits ready now. */
  readyCount(bits: number): number {
    return (this.slots.get(bits) ?? []).filter((s) => Atomics.load(s.header, 0) === 1).length;
  }

  /** Resolves once `bits` has `count` keys ready (benchmarks and tests; false after `timeoutMs`). */
  async whenReady(bits: number, count = this.options.size, timeoutMs = 30_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.readyCount(bits) < Math.min(count, this.options.size)) {
      if (Date.now() > deadline || this.broken) return false;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return true;
  }

  /** Stops the worker and forgets its keys. */
  close(): void {
    void this.worker?.terminate();
    this.worker = undefined;
    this.slots.clear();
  }

  /** The oldest slot's key: ready, or waited for while the worker makes it. */
  private fromSlot(bits: number): string | undefined {
    const slots = this.slots.get(bits);
    while (slots && slots.length > 0) {
      const slot = slots.shift()!;
      let state = Atomics.load(slot.header, 0);
      if (state === 0) {
        Atomics.wait(slot.header, 0, 0, WAIT_LIMIT_MS);
        state = Atomics.load(slot.header, 0);
        if (state === 0) {
          this.fail();
          return undefined;
        }
        if (state === 1) this.stats.waited++;
      } else if (state === 1) this.stats.ready++;
      if (state !== 1) continue;
      const length = Atomics.load(slot.header, 1);
      return Buffer.from(new Uint8Array(slot.buffer, HEADER_BYTES, length)).toString('utf8');
    }
    return undefined;
  }

  private refill(bits: number): void {
    if (this.options.size <= 0 || this.broken || bits > MAX_POOLED_BITS) return;
    let slots = this.slots.get(bits);
    if (!slots) {
      if (this.slots.size >= this.options.maxSizes) return;
      slots = [];
      this.slots.set(bits, slots);
    }
    while (slots.length < this.options.size) {
      const worker = this.start();
      if (!worker) return;
      const buffer = new SharedArrayBuffer(HEADER_BYTES + SLOT_BYTES);
      slots.push({ buffer, header: new Int32Array(buffer, 0, 2) });
      worker.postMessage({ bits, slot: buffer });
    }
  }

  private start(): Worker | undefined {
    if (this.worker) return this.worker;
    try {
      const worker = new Worker(WORKER_SOURCE, { eval: true });
      worker.unref();
      // A worker that fails only means keys are generated on demand again.
      worker.on('error', () => this.fail());
      worker.on('exit', () => {
        if (this.worker === worker) this.fail();
      });
      this.worker = worker;
      return worker;
    } catch {
      this.fail();
      return undefined;
    }
  }

  private fail(): void {
    this.broken = true;
    this.worker = undefined;
    this.slots.clear();
  }
}

/**
 * The process's pool for Crypto.generate_rsa(): one key made ahead per size, at most three sizes.
 * One is enough when runs are apart (the editor); back to back (`dtls-lab test` over many pairs),
 * runs are bound by how fast the CPU makes keys, and more keys ahead would not change that.
 */
export const rsaKeyPool = new RsaKeyPool({ size: 1, maxSizes: 3 });
