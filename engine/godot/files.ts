// Files in the sandbox: res:// is the snippet's document folder (read-only), user:// is a per-run
// scratch folder in memory. A relative path is relative to res:// (the script's folder, as GDScript's
// load() resolves it). Absolute paths, other schemes and `..` that leaves a root are refused.

import { readFileSync, realpathSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import { ErrorCode } from './error-codes';
import type { GodotRuntime } from './runtime';

export interface ResolvedPath {
  root: 'res' | 'user';
  /** Normalized path inside the root, '/'-separated, no leading slash ('' is the root itself). */
  relative: string;
  /** As Godot shows it: res://certs/key.key */
  display: string;
}

export type PathResult = { ok: true; path: ResolvedPath } | { ok: false; error: number; message: string };
export type ReadResult = { ok: true; data: Uint8Array; path: ResolvedPath } | { ok: false; error: number; message: string };
export type WriteResult = { ok: true; path: ResolvedPath } | { ok: false; error: number; message: string };

export const GENERATE_HINT =
  'For a development key and certificate, generate them in the script: `var crypto := Crypto.new()`, ' +
  '`var key := crypto.generate_rsa(2048)`, `var cert := crypto.generate_self_signed_certificate(key, "CN=localhost")` ' +
  '(and key.save("user://key.key") / cert.save("user://cert.crt") to share them with the other peer of the run).';

/** Where a script path points, or why the sandbox refuses it. */
export function resolvePath(path: string): PathResult {
  if (path.includes('\0')) return refuse(path, 'it contains a NUL character');
  let root: 'res' | 'user';
  let rest: string;
  if (path.startsWith('res://')) [root, rest] = ['res', path.slice(6)];
  else if (path.startsWith('user://')) [root, rest] = ['user', path.slice(7)];
  else if (/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(path)) return refuse(path, 'only res:// and user:// paths exist in the sandbox');
  else if (path.startsWith('/') || path.startsWith('\\') || /^[a-zA-Z]:/.test(path) || path.startsWith('~'))
    return refuse(path, 'absolute paths are outside the sandbox; use res:// (the snippet\'s folder) or user:// (a scratch folder for this run)');
  else [root, rest] = ['res', path];
  const parts: string[] = [];
  for (const part of rest.split(/[\\/]+/)) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return refuse(path, `".." would leave ${root}://`);
      parts.pop();
      continue;
    }
    parts.push(part);
  }
  const relative = parts.join('/');
  return { ok: true, path: { root, relative, display: `${root}://${relative}` } };
}

function refuse(path: string, why: string): { ok: false; error: number; message: string } {
  return { ok: false, error: ErrorCode.ERR_FILE_BAD_PATH, message: `The sandbox refuses the path "${path}": ${why}.` };
}

/** The document folder's real path, and the file's, if it stays inside it (no symlink escapes). */
function resFile(runtime: GodotRuntime, path: ResolvedPath): { ok: true; file: string } | { ok: false; error: number; message: string } {
  const folder = runtime.files.documentFolder;
  if (!folder) {
    return {
      ok: false,
      error: ErrorCode.ERR_FILE_NOT_FOUND,
      message: `${path.display}: this run has no document folder, so res:// is empty (run a saved file to use res://). ${GENERATE_HINT}`,
    };
  }
  let realFolder: string;
  try {
    realFolder = realpathSync(folder);
  } catch {
    return { ok: false, error: ErrorCode.ERR_FILE_NOT_FOUND, message: `${path.display}: the document folder ${folder} does not exist.` };
  }
  const file = join(realFolder, ...path.relative.split('/'));
  let real: string;
  try {
    real = realpathSync(file);
  } catch {
    return { ok: false, error: ErrorCode.ERR_FILE_NOT_FOUND, message: `File not found: ${path.display} (res:// is the snippet's folder, ${folder}). ${GENERATE_HINT}` };
  }
  if (real !== realFolder && !real.startsWith(realFolder + sep)) return refuse(path.display, 'it links to a file outside the snippet\'s folder');
  return { ok: true, file: real };
}

export function readFile(runtime: GodotRuntime, scriptPath: string): ReadResult {
  const resolved = resolvePath(scriptPath);
  if (!resolved.ok) return resolved;
  const path = resolved.path;
  const limit = runtime.limits.maxFileBytes;
  if (path.root === 'user') {
    const data = runtime.files.user.get(path.relative);
    if (!data) return { ok: false, error: ErrorCode.ERR_FILE_NOT_FOUND, message: `File not found: ${path.display} (user:// starts empty in every run). ${GENERATE_HINT}` };
    return { ok: true, data: data.slice(), path };
  }
  const file = resFile(runtime, path);
  if (!file.ok) return file;
  try {
    const stat = statSync(file.file);
    if (stat.isDirectory()) return { ok: false, error: ErrorCode.ERR_FILE_CANT_OPEN, message: `${path.display} is a folder, not a file.` };
    if (stat.size > limit) return { ok: false, error: ErrorCode.ERR_OUT_OF_MEMORY, message: `${path.display} is ${stat.size} bytes; the sandbox reads files of at most ${limit} bytes.` };
    return { ok: true, data: new Uint8Array(readFileSync(file.file)), path };
  } catch (e) {
    return { ok: false, error: ErrorCode.ERR_FILE_CANT_READ, message: `Cannot read ${path.display}: ${(e as Error).message}` };
  }
}

export function writeFile(runtime: GodotRuntime, scriptPath: string, data: Uint8Array): WriteResult {
  const resolved = resolvePath(scriptPath);
  if (!resolved.ok) return resolved;
  const path = resolved.path;
  if (path.root === 'res')
    return { ok: false, error: ErrorCode.ERR_FILE_NO_PERMISSION, message: `${path.display}: res:// (the snippet's folder) is read-only in the sandbox; write to user:// instead.` };
  if (path.relative === '') return { ok: false, error: ErrorCode.ERR_FILE_CANT_OPEN, message: 'user:// is a folder, not a file.' };
  const user = runtime.files.user;
  if (data.length > runtime.limits.maxFileBytes)
    return { ok: false, error: ErrorCode.ERR_OUT_OF_MEMORY, message: `${path.display}: ${data.length} bytes is more than the sandbox's ${runtime.limits.maxFileBytes}-byte file limit.` };
  if (!user.has(path.relative) && user.size >= runtime.limits.maxUserFiles)
    return { ok: false, error: ErrorCode.ERR_OUT_OF_MEMORY, message: `${path.display}: user:// already holds ${runtime.limits.maxUserFiles} files, the sandbox's limit.` };
  user.set(path.relative, data.slice());
  return { ok: true, path };
}

export function fileExists(runtime: GodotRuntime, scriptPath: string): boolean {
  const resolved = resolvePath(scriptPath);
  if (!resolved.ok) return false;
  if (resolved.path.root === 'user') return runtime.files.user.has(resolved.path.relative);
  const file = resFile(runtime, resolved.path);
  if (!file.ok) return false;
  try {
    return statSync(file.file).isFile();
  } catch {
    return false;
  }
}
