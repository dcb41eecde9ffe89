// The UDP port a client snippet connects to, for "⚡ Echo server for this client": the annotation's
// `port=N`, else the port argument of `connect_to_host(host, port)` (a literal, or a constant or
// variable of the snippet assigned a literal), else the echo server's default.
import { blockAt } from './snippet-extent';

export const DEFAULT_ECHO_PORT = 4242;

export interface ClientPort {
  port: number;
  /** Where the port came from, for the message to the user. */
  source: 'port= option' | 'connect_to_host()' | 'default';
}

function validPort(n: number): boolean {
  return Number.isInteger(n) && n > 0 && n <= 65535;
}

/** `line` is the client's annotation line or any line of its snippet. */
export function clientPort(text: string, line: number, markdown: boolean): ClientPort {
  const lines = text.split(/\r?\n/);
  const { start, end } = blockAt(lines, line, markdown);
  const snippet = lines.slice(start, end);
  const option = /#\s*@dtls\s+client\b.*?\bport=(\d+)/.exec(snippet[0] ?? '');
  if (option && validPort(Number(option[1]))) return { port: Number(option[1]), source: 'port= option' };
  const body = snippet.join('\n');
  const call = /connect_to_host\s*\(\s*[^,()]+,\s*([A-Za-z_]\w*|\d+)\s*\)/.exec(body);
  if (call) {
    const arg = call[1];
    let value = /^\d+$/.test(arg) ? Number(arg) : NaN;
    if (Number.isNaN(value)) {
      const assigned = new RegExp(`\\b(?:const|var)\\s+${arg}\\b[^=\\n]*:?=\\s*(\\d+)`).exec(body);
      if (assigned) value = Number(assigned[1]);
    }
    if (validPort(value)) return { port: value, source: 'connect_to_host()' };
  }
  return { port: DEFAULT_ECHO_PORT, source: 'default' };
}
