// SERVER_RUN_COMMAND: find the pair, run it on the engine, render the report.
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LSPErrorCodes, ResponseError } from 'vscode-languageserver/node';
import { readSnippets, type DocumentLanguage, type SnippetPair } from '../engine/sandbox/document';
import { renderReport } from '../engine/sandbox/render-text';
import { runPair } from '../engine/sandbox/run-pair';
import type { LinkKind, RunPairResult } from './protocol';

export interface RunRequest {
  uri: string;
  line: number;
  link?: LinkKind;
}

/** Validates `[uri, line, link?]` as sent in workspace/executeCommand. */
export function parseRunArguments(args: unknown[] | undefined): RunRequest {
  const [uri, line, link] = args ?? [];
  if (typeof uri !== 'string' || typeof line !== 'number' || !Number.isInteger(line) || line < 0) {
    throw new ResponseError(LSPErrorCodes.RequestFailed, 'Expected arguments [uri: string, annotationLine: number, link?: "virtual" | "udp"].');
  }
  if (link !== undefined && link !== null && link !== 'virtual' && link !== 'udp') {
    throw new ResponseError(LSPErrorCodes.RequestFailed, `Unknown link "${String(link)}" (expected "virtual" or "udp").`);
  }
  return { uri, line, link: link ?? undefined };
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

export async function runPairAt(text: string, language: DocumentLanguage, request: RunRequest): Promise<RunPairResult> {
  const { pairs } = readSnippets(text, language);
  const pair = findPair(pairs, request.line);
  if (!pair) {
    throw new ResponseError(LSPErrorCodes.RequestFailed,
      pairs.length === 0 ? 'This document has no server/client DTLS pair.' : `No DTLS pair at line ${request.line + 1}.`);
  }
  const report = await runPair(pair, { link: request.link ?? 'virtual', documentFolder: documentFolderOf(request.uri) });
  return { report, text: renderReport(report, { color: false }) };
}
