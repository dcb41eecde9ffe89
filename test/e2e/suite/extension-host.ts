// What the in-VS-Code suites share: where the repository is, the extension's id, and waiting for a
// condition with a deadline.
import * as path from 'node:path';

/** The repository (this file runs from out/test/e2e/suite/). */
export const ROOT = path.resolve(__dirname, '..', '..', '..', '..');

export const EXTENSION_ID = 'godot-dtls-lab.godot-dtls-lab';

/** Calls `get` every `everyMs` until it returns something other than undefined, for at most `ms`. */
export async function poll<T>(what: string, get: () => Promise<T | undefined> | T | undefined, ms = 30_000, everyMs = 150): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await get();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
