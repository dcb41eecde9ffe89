// Runs inside a real VS Code extension host (code-server), against the extension in development mode.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DtlsLabApi } from '../../../client/extension';
import type { RunPairResult } from '../../../server/protocol';
import { EXTENSION_ID, poll, ROOT } from './extension-host';

const LENS_TITLE = '▶ Run DTLS pair';


suite('Godot DTLS Lab in VS Code', () => {
  let api: DtlsLabApi;
  const echoPair = vscode.Uri.file(path.join(ROOT, 'examples', 'echo-pair.gd'));

  suiteSetup(async () => {
    const document = await vscode.workspace.openTextDocument(echoPair);
    await vscode.window.showTextDocument(document);
    assert.equal(document.languageId, 'gdscript');
    const extension = vscode.extensions.getExtension<DtlsLabApi>(EXTENSION_ID);
    assert.ok(extension, `extension ${EXTENSION_ID} is loaded`);
    api = await extension.activate();
  });

  test('the echo pair gets a lens, and running it reports both peers', async () => {
    const lens = await poll('the "▶ Run DTLS pair" lens', async () => {
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', echoPair);
      return lenses?.find((l) => l.command?.title === LENS_TITLE);
    });
    assert.equal(lens.range.start.line, 0);
    assert.equal(lens.command?.command, 'dtlsLab.runPair');

    const result = await vscode.commands.executeCommand<RunPairResult | undefined>(lens.command!.command, ...(lens.command!.arguments ?? []));
    assert.ok(result, 'the command returns the result');
    const { report } = result;
    assert.equal(report.ok, true, result.text);
    const prints = (role: string) => report.peers.find((p) => p.role === role)?.prints.map((p) => p.text) ?? [];
    assert.deepEqual(prints('client'), ['status: 2', 'client got: hello']);
    assert.deepEqual(prints('server'), ['server got: hello']);
    assert.match(result.text, /client got: hello/);

    const decorations = api.decorations(echoPair);
    const serverPrintLine = report.peers.find((p) => p.role === 'server')!.prints[0].range!.start.line;
    assert.ok(decorations.some((d) => d.kind === 'print' && d.line === serverPrintLine && d.text === '⟵ "server got: hello"'), JSON.stringify(decorations));
    const clientLine = report.client.annotationLine;
    assert.ok(decorations.some((d) => d.kind === 'status' && d.line === clientLine && /^client → STATUS_CONNECTED \(2\)$/.test(d.text)), JSON.stringify(decorations));
  });

  test('a Markdown tutorial with fenced gdscript snippets gets the lens on its server fence', async () => {
    const markdown = vscode.Uri.file(path.join(ROOT, 'examples', 'echo-pair.md'));
    const document = await vscode.workspace.openTextDocument(markdown);
    await vscode.window.showTextDocument(document);
    const serverLine = document.getText().split(/\r?\n/).findIndex((l) => /#\s*@dtls\s+server/.test(l));
    const lens = await poll('the lens in echo-pair.md', async () => {
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', markdown);
      return lenses?.find((l) => l.command?.title === LENS_TITLE);
    });
    assert.equal(lens.range.start.line, serverLine);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('a syntax error typed into an untitled gdscript document gets a diagnostic', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'gdscript', content: '' });
    const editor = await vscode.window.showTextDocument(document);
    await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), '# @dtls server\nextends Node\n\nvar x =\n'));
    const errors = await poll('an error diagnostic on line 4', () => {
      const found = vscode.languages.getDiagnostics(document.uri)
        .filter((d) => d.source === 'dtls-lab' && d.severity === vscode.DiagnosticSeverity.Error && d.range.start.line === 3);
      return found.length > 0 ? found : undefined;
    });
    assert.ok(errors[0].message.length > 0);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('an un-annotated tutorial fence gets "Run as server"/"Run as client", which annotate it and make it runnable', async () => {
    const fences = [
      '# Tutorial', '', '```gdscript', 'extends Node', 'var udp_server := UDPServer.new()', 'var dtls_server := DTLSServer.new()', '```', '',
      '```gdscript', 'extends Node', 'func _ready():', '\tvar dtls := PacketPeerDTLS.new()', '\tdtls.connect_to_peer(PacketPeerUDP.new(), "localhost")', '```', '',
    ].join('\n');
    const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: fences });
    await vscode.window.showTextDocument(document);
    const suggestions = await poll('the "Run as …" lenses', async () => {
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri);
      const found = (lenses ?? []).filter((l) => /^Run as (server|client)$/.test(l.command?.title ?? ''));
      return found.length === 2 ? found : undefined;
    });
    assert.deepEqual(suggestions.map((l) => l.command!.title).sort(), ['Run as client', 'Run as server']);
    // Apply the client one first so the server's line number stays valid.
    for (const lens of [...suggestions].sort((a, b) => b.range.start.line - a.range.start.line))
      assert.equal(await vscode.commands.executeCommand(lens.command!.command, ...(lens.command!.arguments ?? [])), true);
    const text = document.getText();
    assert.match(text, /```gdscript\n# @dtls server\nextends Node/);
    assert.match(text, /```gdscript\n# @dtls client\nextends Node/);
    await poll('the "▶ Run DTLS pair" lens after annotating', async () => {
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri);
      return lenses?.find((l) => l.command?.title === LENS_TITLE);
    });
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('editing the document clears the run decorations', async () => {
    const editor = await vscode.window.showTextDocument(echoPair);
    assert.ok(api.decorations(echoPair).length > 0, 'decorations from the previous run');
    await editor.edit((edit) => edit.insert(new vscode.Position(editor.document.lineCount, 0), '\n'));
    assert.deepEqual(api.decorations(echoPair), []);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
});
