// The language server over a real stdio connection (`node dist/server.js --stdio`, as an editor runs
// it) on a generated 5,000-line .gd pair: time from didChange to the publishDiagnostics of that
// version (debounce set to 0 through initializationOptions, so no delay is included), completion
// latency after `peer.`, and the server's RSS (dtlsLab/stats) before and after 1,000 edits.
// Run: npm run build --silent && npx tsc -p tsconfig.json && node out/bench/lsp.js [--lines 5000] [--edits 1000]
// Targets: diagnostics p50 < 50 ms, completion p50 < 20 ms, memory flat.

import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { LspClient } from '../test/lsp/lsp-client';
import { numberOption } from './command-line';

/** A server and a client snippet padded with helper functions to `lines` lines; the edit and completion spots. */
function generateDocument(lines: number): { text: string; editLines: number[]; completionSpots: { line: number; character: number }[] } {
  const out = [
    '# @dtls server',
    'extends Node',
    '',
    'var udp_server := UDPServer.new()',
    'var dtls_server := DTLSServer.new()',
    'var peers: Array[PacketPeerDTLS] = []',
    '',
  ];
  const editLines: number[] = [];
  const completionSpots: { line: number; character: number }[] = [];
  const helper = (n: number) => {
    out.push(`func helper_${n}(peer: PacketPeerDTLS) -> int:`);
    editLines.push(out.length);
    out.push(`\tvar count := ${n % 10}`);
    completionSpots.push({ line: out.length, character: '\tpeer.'.length });
    out.push('\tpeer.poll()');
    out.push('\tif peer.get_status() == PacketPeerDTLS.STATUS_CONNECTED:');
    out.push('\t\tcount += peer.get_available_packet_count()');
    out.push('\treturn count');
    out.push('');
  };
  const half = Math.floor(lines / 2);
  for (let n = 0; out.length < half - 10; n++) helper(n);
  out.push('# @dtls client', 'extends Node', '', 'var dtls := PacketPeerDTLS.new()', '');
  for (let n = 100_000; out.length < lines - 8; n++) helper(n);
  out.push('func _ready():', '\tvar udp := PacketPeerUDP.new()', '\tudp.connect_to_host("127.0.0.1", 4242)',
    '\tdtls.connect_to_peer(udp, "localhost", TLSOptions.client_unsafe())', '\tprint(helper_100000(dtls))');
  return { text: out.join('\n'), editLines, completionSpots };
}

/**
 * CPU time (user + system, ms) the process has used, from /proc/<pid>/stat (Linux; clock ticks of
 * 10 ms): unlike wall time it hardly depends on what else the machine runs.
 */
function cpuMs(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10; // utime, stime (fields 14 and 15)
  } catch {
    return undefined;
  }
}

const percentile = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const ms = (x: number) => `${x.toFixed(1)} ms`;
const mb = (x: number) => `${(x / 2 ** 20).toFixed(1)} MB`;

async function main(): Promise<void> {
  const lineCount = numberOption('lines', 5000);
  const edits = numberOption('edits', 1000);
  const { client: lsp, capabilities } = await LspClient.start({ diagnosticsDelayMs: 0 });
  try {
    const uri = 'untitled:bench-lsp.gd';
    const { text, editLines, completionSpots } = generateDocument(lineCount);
    const opened = performance.now();
    const first = await lsp.diagnosticsOfVersion(uri, lsp.open(uri, 'gdscript', text));
    console.log(`document: ${text.split('\n').length} lines; first diagnostics ${ms(performance.now() - opened)} (${first.length} diagnostics)`);
    const stats = () => lsp.request<{ rssBytes: number; heapUsedBytes: number }>('dtlsLab/stats', null);

    // Each edit retypes the digit of one helper's `var count := N`.
    const diagnosticsMs: number[] = [];
    const edit = async (i: number) => {
      const line = editLines[(i * 7919) % editLines.length];
      const character = '\tvar count := '.length;
      const started = performance.now();
      const version = lsp.change(uri, [{ range: { start: { line, character }, end: { line, character: character + 1 } }, text: String(i % 10) }]);
      await lsp.diagnosticsOfVersion(uri, version);
      diagnosticsMs.push(performance.now() - started);
    };
    for (let i = 0; i < 20; i++) await edit(i); // warm-up
    diagnosticsMs.length = 0;
    const before = await stats();
    const cpuBefore = cpuMs(lsp.server.pid ?? -1);
    const samples = [`0: ${mb(before.rssBytes)}`];
    for (let i = 0; i < edits; i++) {
      await edit(i);
      if ((i + 1) % 250 === 0) samples.push(`${i + 1}: ${mb((await stats()).rssBytes)}`);
    }
    const afterEdits = await stats();
    const cpuAfter = cpuMs(lsp.server.pid ?? -1);
    console.log(`diagnostics after an edit (${edits} edits): p50 ${ms(percentile(diagnosticsMs, 50))}, p95 ${ms(percentile(diagnosticsMs, 95))}, max ${ms(Math.max(...diagnosticsMs))}${cpuBefore !== undefined && cpuAfter !== undefined ? `; server CPU time ${ms((cpuAfter - cpuBefore) / edits)} per edit` : ''}`);
    console.log(`server RSS over ${edits} edits: start ${mb(before.rssBytes)}, end ${mb(afterEdits.rssBytes)} (heap ${mb(before.heapUsedBytes)} → ${mb(afterEdits.heapUsedBytes)}); RSS after N edits: ${samples.join(', ')}`);

    if (capabilities.completionProvider) {
      const completionMs: number[] = [];
      let items = 0;
      for (let i = 0; i < 220; i++) {
        const position = completionSpots[(i * 104_729) % completionSpots.length];
        const started = performance.now();
        const result = await lsp.request<unknown[] | { items: unknown[] } | null>('textDocument/completion', { textDocument: { uri }, position });
        if (i >= 20) completionMs.push(performance.now() - started); // the first 20 warm up
        items = Array.isArray(result) ? result.length : result?.items.length ?? 0;
      }
      console.log(`completion after "peer.": p50 ${ms(percentile(completionMs, 50))}, p95 ${ms(percentile(completionMs, 95))} (${items} items)`);
    } else {
      console.log('completion: the server does not offer completion (engine/analysis/queries.ts missing from this build)');
    }
  } finally {
    await lsp.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
