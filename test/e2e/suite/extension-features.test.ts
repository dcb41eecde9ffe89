// Runs inside a real VS Code extension host (code-server): the extension's commands end to end —
// inline results of a run, the timeline panel, run-all and link settings, the echo server (started
// from its command, then a real `openssl s_client -dtls1_2` echo through it, stopped), the echo
// server for a client snippet, a busy port, fix-all on a Godot 3 snippet, certificate and capture.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DtlsLabApi } from '../../../client/extension';
import type { EchoSnapshot } from '../../../client/echo-log';
import type { RunPairResult } from '../../../server/protocol';
import { ECHO_LENS_TITLE, LOSS_LENS_TITLE, RUN_LENS_TITLE } from '../../../server/protocol';
import { freeUdpPort } from '../../interop/peer-harness';
import { EXTENSION_ID, poll, ROOT } from './extension-host';




function bindUdp(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    socket.once('error', reject);
    socket.bind({ port, address: '127.0.0.1', exclusive: true }, () => resolve(socket));
  });
}

/** `openssl s_client -dtls1_2` to the echo server: sends one line, then close_notify once it is back; resolves with the output (bounded). */
function opensslEcho(port: number, line: string, ms = 15_000): Promise<string> {
  return new Promise((resolve, reject) => {
    // -quiet sends stdin once connected; -no_ign_eof: closing stdin sends close_notify and exits.
    const child = spawn('openssl', ['s_client', '-dtls1_2', '-connect', `127.0.0.1:${port}`, '-quiet', '-no_ign_eof'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`openssl s_client: no echo within ${ms} ms; stdout ${JSON.stringify(out)}, stderr ${err.slice(-400)}`));
    }, ms);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (out.includes(line)) child.stdin.end();
    });
    child.on('exit', () => {
      clearTimeout(timer);
      if (out.includes(line)) resolve(out);
      else reject(new Error(`openssl s_client exited without the echo; stdout ${JSON.stringify(out)}, stderr ${err.slice(-400)}`));
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    // -quiet: s_client sends stdin once the handshake is done.
    child.stdin.write(`${line}\n`);
  });
}

suite('Godot DTLS Lab commands in VS Code', () => {
  let api: DtlsLabApi;
  const echoPair = vscode.Uri.file(path.join(ROOT, 'examples', 'echo-pair.gd'));

  suiteSetup(async () => {
    const extension = vscode.extensions.getExtension<DtlsLabApi>(EXTENSION_ID);
    assert.ok(extension, `extension ${EXTENSION_ID} is loaded`);
    api = await extension.activate();
    await api.ready;
  });

  teardown(async () => {
    await vscode.commands.executeCommand('dtlsLab.stopEcho');
  });

  test('activation is lazy and quick: activate() returns in under 500 ms', () => {
    assert.ok(api.activationMs < 500, `activate took ${api.activationMs} ms`);
    console.log(`      activate(): ${api.activationMs.toFixed(1)} ms`);
  });

  test('the pair gets its run, loss and echo lenses', async () => {
    await vscode.window.showTextDocument(echoPair);
    const titles = await poll('the lenses of echo-pair.gd', async () => {
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', echoPair);
      const found = (lenses ?? []).map((l) => l.command?.title ?? '');
      return found.includes(RUN_LENS_TITLE) && found.includes(ECHO_LENS_TITLE) ? found : undefined;
    });
    assert.ok(titles.includes(LOSS_LENS_TITLE), titles.join(' | '));
  });

  test('a run with 20% loss: timed status changes and prints after their lines, the timeline follows', async () => {
    const document = await vscode.workspace.openTextDocument(echoPair);
    await vscode.window.showTextDocument(document);
    const result = await vscode.commands.executeCommand<RunPairResult>('dtlsLab.runPair', echoPair.toString(), 0, 'virtual', { loss: 0.2, seed: 4 });
    assert.ok(result, 'the run returns its result');
    const decorations = api.decorations(echoPair);
    const connected = result.report.timeline.find((e) => e.kind === 'status' && e.peer === 'client' && e.statusName === 'STATUS_CONNECTED');
    assert.ok(connected && connected.kind === 'status' && connected.range, 'the client connected');
    const line = connected.range.start.line;
    assert.ok(decorations.some((d) => d.kind === 'status' && d.line === line && /client → STATUS_CONNECTED at [\d.]+ (ms|s)/.test(d.text)), JSON.stringify(decorations));
    assert.ok(decorations.some((d) => d.kind === 'print' && d.text === '⟵ "client got: hello"'), JSON.stringify(decorations));
    assert.equal(api.lastRun()?.report, result.report);

    await vscode.commands.executeCommand('dtlsLab.showTimeline');
    const tab = await poll('the timeline tab', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs)
      .find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('dtlsLab.timeline')));
    assert.equal(tab.label, 'DTLS timeline');
    await vscode.commands.executeCommand('workbench.action.closeEditorsInOtherGroups');
  });

  test('an edit inside one pair keeps the results of the other pair of the document', async () => {
    const text = readFileSync(echoPair.fsPath, 'utf8');
    const document = await vscode.workspace.openTextDocument({ language: 'gdscript', content: `${text}\n${text.replace(/^# @dtls client$/m, '# @dtls client name=second')}` });
    const editor = await vscode.window.showTextDocument(document);
    const results = await vscode.commands.executeCommand<RunPairResult[]>('dtlsLab.runAllPairs', document.uri);
    assert.equal(results.length, 2, 'run-all ran both pairs');
    assert.ok(results.every((r) => r.report.ok));
    const secondServer = results[1].report.server.annotationLine;
    const before = api.decorations(document.uri);
    assert.ok(before.some((d) => d.line < secondServer) && before.some((d) => d.line > secondServer), JSON.stringify(before));
    // Edit a line of the second pair's client (no line added): only the second pair's results go.
    const lastLine = document.lineCount - 2;
    await editor.edit((edit) => edit.insert(new vscode.Position(lastLine, 0), ' '));
    const after = api.decorations(document.uri);
    assert.ok(after.length > 0 && after.every((d) => d.line < secondServer), JSON.stringify(after));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('the echo server: started from its command, a real openssl s_client echo, status bar, stopped', async function () {
    this.timeout(60_000);
    const port = await freeUdpPort();
    const started = await vscode.commands.executeCommand<EchoSnapshot | undefined>('dtlsLab.startEcho', port);
    assert.ok(started, 'the echo server started');
    assert.equal(started.port, port);
    assert.match(started.godotSnippet ?? '', /PacketPeerDTLS/);
    assert.match(started.fingerprint ?? '', /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    assert.equal(api.echo().statusBarText, `$(radio-tower) DTLS echo :${port} · 0 sessions · 0 pkts`);

    const echoed = await opensslEcho(port, 'hello from the e2e suite');
    assert.match(echoed, /hello from the e2e suite/);
    const after = await poll('the session to end and its packets to be counted', () => {
      const s = api.echo().snapshot;
      return s && s.handshakes >= 1 && s.packets > 0 && s.sessions === 0 ? s : undefined;
    }, 20_000);
    assert.equal(api.echo().statusBarText, `$(radio-tower) DTLS echo :${port} · 0 sessions · ${after.packets} pkts`);

    assert.equal(await vscode.commands.executeCommand('dtlsLab.stopEcho'), true);
    assert.equal(api.echo().snapshot, undefined);
    assert.equal(api.echo().statusBarText, '');
  });

  test('a busy port does not start the echo server', async () => {
    const port = await freeUdpPort();
    const blocker = await bindUdp(port);
    try {
      const started = await vscode.commands.executeCommand<EchoSnapshot | undefined>('dtlsLab.startEcho', port);
      assert.equal(started, undefined);
      assert.equal(api.echo().snapshot, undefined);
    } finally {
      blocker.close();
    }
  });

  test('"⚡ Echo server for this client" listens on the port the client connects to', async () => {
    const port = await freeUdpPort();
    const client = ['# @dtls client', 'extends Node', `const PORT := ${port}`, 'func _ready():', '\tvar udp := PacketPeerUDP.new()', '\tudp.connect_to_host("127.0.0.1", PORT)', ''].join('\n');
    const document = await vscode.workspace.openTextDocument({ language: 'gdscript', content: client });
    await vscode.window.showTextDocument(document);
    const lens = await poll('the echo lens', async () => {
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri);
      return lenses?.find((l) => l.command?.title === ECHO_LENS_TITLE);
    });
    const started = await vscode.commands.executeCommand<EchoSnapshot | undefined>(lens.command!.command, ...(lens.command!.arguments ?? []));
    assert.equal(started?.port, port);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('"Apply all Godot 4 fixes" rewrites a Godot 3 client', async () => {
    const godot3 = readFileSync(path.join(ROOT, 'media', 'walkthrough', 'godot3-client.gd'), 'utf8');
    const document = await vscode.workspace.openTextDocument({ language: 'gdscript', content: godot3 });
    await vscode.window.showTextDocument(document);
    await poll('Godot 3 diagnostics', () => {
      const found = vscode.languages.getDiagnostics(document.uri).filter((d) => d.source === 'dtls-lab');
      return found.length > 0 ? found : undefined;
    });
    const offered = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri,
      new vscode.Range(0, 0, document.lineCount - 1, 0), vscode.CodeActionKind.SourceFixAll.value);
    const seen = JSON.stringify((offered ?? []).map((a) => ({ title: a.title, kind: a.kind?.value, edit: a.edit !== undefined })));
    assert.equal(await vscode.commands.executeCommand('dtlsLab.fixAll', document.uri), true, `source actions offered: ${seen}`);
    const text = document.getText();
    assert.doesNotMatch(text, /yield\(/);
    assert.match(text, /await /);
    assert.doesNotMatch(text, /connect_to_peer\(udp, false/);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('a development certificate is written into the folder', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'dtls-cert-'));
    try {
      const cert = await vscode.commands.executeCommand<{ certPath: string; keyPath: string; created: boolean } | undefined>('dtlsLab.generateCertificate', folder);
      assert.ok(cert, 'a certificate');
      assert.equal(cert.created, true);
      assert.match(readFileSync(cert.certPath, 'utf8'), /-----BEGIN CERTIFICATE-----/);
      assert.match(readFileSync(cert.keyPath, 'utf8'), /PRIVATE KEY-----/);
      assert.equal(path.dirname(cert.certPath), path.join(folder, 'dtls-dev'));
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  test('the last run exports a pcapng and a key log', async function () {
    this.timeout(60_000);
    const document = await vscode.workspace.openTextDocument(echoPair);
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('dtlsLab.runPair', echoPair.toString(), 0);
    const files = await vscode.commands.executeCommand<{ pcap: string; keylog: string } | undefined>('dtlsLab.exportCapture');
    assert.ok(files, 'the capture files');
    try {
      assert.ok(existsSync(files.pcap) && existsSync(files.keylog));
      assert.equal(readFileSync(files.pcap).readUInt32LE(0), 0x0a0d0d0a, 'a pcapng section header block');
      assert.match(readFileSync(files.keylog, 'utf8'), /^CLIENT_RANDOM [0-9a-f]{64} [0-9a-f]{96}$/m);
    } finally {
      rmSync(files.pcap, { force: true });
      rmSync(files.keylog, { force: true });
    }
  });
});
