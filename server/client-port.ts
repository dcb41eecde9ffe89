// SERVER_CLIENT_PORT_COMMAND: the UDP port a client snippet sends to, read by the engine from the
// snippet and its fragments (its `port=` option first, then connect_to_host()/set_dest_address()
// with a literal, a constant or a parameter filled by a call), for "⚡ Echo server for this client".
import { ResponseError, LSPErrorCodes } from 'vscode-languageserver/node';
import { readSnippets, type DocumentLanguage } from '../engine/sandbox/document';
import { connectSites } from '../engine/sandbox/listen-sites';
import { DEFAULT_ECHO_PORT, type ClientPortResult } from './protocol';

/** `[uri, line]` as the command receives them. */
export function parseClientPortArguments(args: unknown[] | undefined): { uri: string; line: number } {
  const [uri, line] = args ?? [];
  if (typeof uri !== 'string' || typeof line !== 'number' || !Number.isInteger(line) || line < 0)
    throw new ResponseError(LSPErrorCodes.RequestFailed, 'Expected arguments [uri: string, line: number].');
  return { uri, line };
}

export function clientPortAt(text: string, language: DocumentLanguage, line: number): ClientPortResult {
  const clients = readSnippets(text, language).snippets.filter((s) => s.role === 'client');
  const covers = (start: number, end: number) => line >= start && line < end;
  const client = clients.find((c) => covers(Math.min(c.annotationLine, c.startLine), c.endLine)
    || (c.fragments ?? []).some((f) => covers(Math.min(f.annotationLine, f.startLine), f.endLine)));
  if (!client) throw new ResponseError(LSPErrorCodes.RequestFailed, `No client snippet at line ${line + 1}.`);
  const option = client.settings?.port;
  if (option !== undefined) return { port: option, source: 'port= option' };
  const site = connectSites(client).find((s) => s.port > 0 && s.port <= 65535);
  return site ? { port: site.port, source: 'connect_to_host()' } : { port: DEFAULT_ECHO_PORT, source: 'default' };
}
