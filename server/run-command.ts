// SERVER_RUN_COMMAND: find the pair, run it on the engine, render the report.
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LSPErrorCodes, ResponseError } from 'vscode-languageserver/node';
import { readSnippets, type DocumentLanguage, type SnippetPair } from '../engine/sandbox/document';
import { renderReport } from '../engine/sandbox/render-text';
import type { RunLimits } from '../engine/sandbox/limits';
import { runPair } from '../engine/sandbox/run-pair';
import type { LinkKind, RunLinkSettings, RunPairResult } from './protocol';
import { pairLines } from './run-results';

export interface RunRequest {
  uri: string;
  line: number;
  link?: LinkKind;
  settings?: RunLinkSettings;
  /** From the `dtlsLab.limits.*` settings (run-limits.ts); a snippet's `timeout=` wins over `timeoutMs`. */
  limits?: Partial<RunLimits>;
}

const ARGUMENTS_HELP = 'Expected arguments [uri: string, annotationLine: number, link?: "virtual" | "udp" | null, settings?: { loss?, delayMs?, jitterMs?, duplicate?, reorder?, mtu?, bandwidthBps?, seed? }].';

/** What each RunLinkSettings key accepts: [lowest, highest, whole numbers only, example]. */
const SETTING_BOUNDS: Record<keyof RunLinkSettings, [number, number, boolean, string]> = {
  loss: [0, 1, false, '0.2 (20%)'],
  duplicate: [0, 1, false, '0.05 (5%)'],
  reorder: [0, 1, false, '0.1 (10%)'],
  delayMs: [0, 60_000, false, '20'],
  jitterMs: [0, 60_000, false, '5'],
  mtu: [64, 65535, true, '1200'],
  bandwidthBps: [1, 1e12, false, '1000000 (1 mbit/s)'],
  seed: [0, 2 ** 32 - 1, true, '7'],
};

function fail(message: string): never {
  throw new ResponseError(LSPErrorCodes.RequestFailed, message);
}

/** Validates the optional link-settings object of a run (see RunLinkSettings). */
export function parseLinkSettings(value: unknown): RunLinkSettings | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) fail(`Link settings must be an object. ${ARGUMENTS_HELP}`);
  const settings: RunLinkSettings = {};
  for (const [key, raw] of Object.entries(value)) {
    const bounds = SETTING_BOUNDS[key as keyof RunLinkSettings];
    if (!bounds) fail(`Unknown link setting "${key}" (expected ${Object.keys(SETTING_BOUNDS).join(', ')}).`);
    const [low, high, whole, example] = bounds;
    if (typeof raw !== 'number' || !(raw >= low && raw <= high) || (whole && !Number.isInteger(raw))) {
      fail(`Link setting ${key}=${JSON.stringify(raw)}: expected a ${whole ? 'whole ' : ''}number from ${low} to ${high} (e.g. ${example}).`);
    }
    settings[key as keyof RunLinkSettings] = raw;
  }
  return settings;
}

/** Validates `[uri, line, link?, settings?]` as sent in workspace/executeCommand. */
export function parseRunArguments(args: unknown[] | undefined): RunRequest {
  const [uri, line, link, settings] = args ?? [];
  if (typeof uri !== 'string' || typeof line !== 'number' || !Number.isInteger(line) || line < 0) fail(ARGUMENTS_HELP);
  if (link !== undefined && link !== null && link !== 'virtual' && link !== 'udp') {
    fail(`Unknown link "${String(link)}" (expected "virtual" or "udp").`);
  }
  return { uri, line, link: link ?? undefined, settings: parseLinkSettings(settings) };
}

/** The pair whose server annotation is on `line`; else the pair with a snippet covering `line`; else the only pair. */
export function findPair(pairs: SnippetPair[], line: number): SnippetPair | undefined {
  const covers = (s: SnippetPair['server'], l: number) => l >= Math.min(s.annotationLine, s.startLine) && l < s.endLine;
  return pairs.find((p) => p.server.annotationLine === line)
    ?? pairs.find((p) => covers(p.server, line) || covers(p.client, line))
    ?? (pairs.length === 1 ? pairs[0] : undefined);
}

/** Text of a document the editor has not opened on the server (e.g. a command run from elsewhere). */
export function readFromDisk(uri: string): string {
  if (!uri.startsWith('file:')) throw new ResponseError(LSPErrorCodes.RequestFailed, `Document ${uri} is not open.`);
  return readFileSync(fileURLToPath(uri), 'utf8');
}

/** The folder `res://` maps to: the document's own folder, when it is a file. */
function documentFolderOf(uri: string): string | undefined {
  return uri.startsWith('file:') ? dirname(fileURLToPath(uri)) : undefined;
}

/** Runs the pair `request` selects; returns the rendered result and the pair that ran. */
export async function runPairAt(text: string, language: DocumentLanguage, request: RunRequest): Promise<{ result: RunPairResult; pair: SnippetPair }> {
  const { pairs } = readSnippets(text, language);
  const pair = findPair(pairs, request.line);
  if (!pair) {
    throw new ResponseError(LSPErrorCodes.RequestFailed,
      pairs.length === 0 ? 'This document has no server/client DTLS pair.' : `No DTLS pair at line ${request.line + 1}.`);
  }
  const { seed, ...shape } = request.settings ?? {};
  const report = await runPair(pair, {
    link: request.link ?? 'virtual',
    documentFolder: documentFolderOf(request.uri),
    ...(request.limits && Object.keys(request.limits).length > 0 ? { limits: request.limits } : {}),
    ...(Object.keys(shape).length > 0 ? { shape } : {}),
    ...(seed !== undefined ? { seed } : {}),
  });
  return { result: { report, text: renderReport(report, { color: false }), lines: pairLines(pair) }, pair };
}
