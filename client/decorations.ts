// After-line annotations of a run: what each line printed, each peer's final DTLS status on its
// annotation line, and errors (red) where they happened. Cleared when the document is edited.
import * as vscode from 'vscode';
import type { RunReport } from '../engine/sandbox/report';

export type DecorationKind = 'print' | 'status' | 'error';

/** One after-line annotation (also what the extension's test API returns). */
export interface RunDecoration {
  line: number;
  kind: DecorationKind;
  text: string;
}

const MAX_TEXT = 80;
const clip = (s: string) => (s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT - 1)}…` : s);

/** Turns a report into annotations, at most one per (line, kind). */
export function decorationsOf(report: RunReport): RunDecoration[] {
  const prints = new Map<number, string[]>();
  for (const peer of report.peers) {
    for (const p of peer.prints) {
      if (!p.range) continue;
      const list = prints.get(p.range.start.line) ?? [];
      list.push(p.text);
      prints.set(p.range.start.line, list);
    }
  }
  const out: RunDecoration[] = [];
  for (const [line, texts] of prints) {
    const shown = texts.slice(0, 3).map((t) => JSON.stringify(clip(t))).join(', ');
    out.push({ line, kind: 'print', text: `⟵ ${shown}${texts.length > 3 ? ` … (${texts.length} prints)` : ''}` });
  }
  for (const peer of report.peers) {
    const status = peer.finalStatus ? `${peer.finalStatus.statusName} (${peer.finalStatus.status})` : 'no DTLS status';
    out.push({
      line: peer.annotationLine,
      kind: peer.crashed ? 'error' : 'status',
      text: `${peer.name} → ${status}${peer.crashed ? ' ✗ stopped on an error' : ''}`,
    });
  }
  const errors = new Map<number, string[]>();
  for (const problem of report.problems) {
    if (problem.severity !== 'error') continue;
    const line = problem.range.start.line;
    const list = errors.get(line) ?? [];
    list.push(problem.peer ? `${problem.peer}: ${problem.message}` : problem.message);
    errors.set(line, list);
  }
  for (const [line, messages] of errors) {
    const existing = out.find((d) => d.line === line && d.kind === 'error');
    const text = `✗ ${clip(messages.join(' · '))}`;
    if (existing) existing.text += `  ${text}`;
    else out.push({ line, kind: 'error', text });
  }
  return out.sort((a, b) => a.line - b.line);
}

export class RunDecorations implements vscode.Disposable {
  private readonly types: Record<DecorationKind, vscode.TextEditorDecorationType>;
  private readonly byDocument = new Map<string, RunDecoration[]>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor() {
    const after = (color: vscode.ThemeColor | string, fontStyle?: string): vscode.DecorationRenderOptions => ({
      after: { color, fontStyle, margin: '0 0 0 2em' },
      rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
    });
    this.types = {
      print: vscode.window.createTextEditorDecorationType(after(new vscode.ThemeColor('editorCodeLens.foreground'), 'italic')),
      status: vscode.window.createTextEditorDecorationType(after(new vscode.ThemeColor('editorInfo.foreground'))),
      error: vscode.window.createTextEditorDecorationType({
        ...after(new vscode.ThemeColor('editorError.foreground')),
        isWholeLine: true,
        backgroundColor: new vscode.ThemeColor('diffEditor.removedLineBackground'),
      }),
    };
    this.subscriptions.push(
      vscode.window.onDidChangeVisibleTextEditors((editors) => editors.forEach((e) => this.apply(e))),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0) this.clear(e.document.uri);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => this.clear(d.uri)),
    );
  }

  show(uri: vscode.Uri, report: RunReport): void {
    this.byDocument.set(uri.toString(), decorationsOf(report));
    this.applyAll(uri);
  }

  clear(uri: vscode.Uri): void {
    if (this.byDocument.delete(uri.toString())) this.applyAll(uri);
  }

  get(uri: vscode.Uri): RunDecoration[] {
    return [...(this.byDocument.get(uri.toString()) ?? [])];
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    Object.values(this.types).forEach((t) => t.dispose());
    this.byDocument.clear();
  }

  private applyAll(uri: vscode.Uri): void {
    for (const editor of vscode.window.visibleTextEditors) {
      if (editor.document.uri.toString() === uri.toString()) this.apply(editor);
    }
  }

  private apply(editor: vscode.TextEditor): void {
    const items = this.byDocument.get(editor.document.uri.toString()) ?? [];
    const lastLine = editor.document.lineCount - 1;
    for (const kind of Object.keys(this.types) as DecorationKind[]) {
      const options = items
        .filter((d) => d.kind === kind && d.line <= lastLine)
        .map((d): vscode.DecorationOptions => {
          const end = editor.document.lineAt(d.line).range.end;
          return { range: new vscode.Range(end, end), renderOptions: { after: { contentText: d.text } } };
        });
      editor.setDecorations(this.types[kind], options);
    }
  }
}
