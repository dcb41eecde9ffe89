// Draws a run's after-line annotations (run-annotations.ts) in every editor showing the document,
// with a gutter icon on the lines that failed. Each run (one pair) keeps its results until an edit
// touches one of its snippets or fragments (the lines the server sent, snippet-extent.ts); results of
// other pairs in the document stay.
import * as vscode from 'vscode';
import type { LineSpan, RunPairResult } from '../server/protocol';
import { annotationsOf, type AnnotationKind, type RunAnnotation } from './run-annotations';
import { changeInvalidates } from './snippet-extent';

export type { RunAnnotation as RunDecoration } from './run-annotations';

interface ShownRun {
  /** `serverLine:clientLine`: a new run of the same pair replaces the old one. */
  pair: string;
  annotations: RunAnnotation[];
  extent: LineSpan[];
}

export class RunDecorations implements vscode.Disposable {
  private readonly types: Record<AnnotationKind, vscode.TextEditorDecorationType>;
  private readonly byDocument = new Map<string, ShownRun[]>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(extensionUri: vscode.Uri) {
    const after = (color: vscode.ThemeColor, fontStyle?: string): vscode.DecorationRenderOptions => ({
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
        gutterIconPath: vscode.Uri.joinPath(extensionUri, 'media', 'failed-line.svg'),
        gutterIconSize: '80%',
        overviewRulerColor: new vscode.ThemeColor('editorError.foreground'),
        overviewRulerLane: vscode.OverviewRulerLane.Right,
      }),
    };
    this.subscriptions.push(
      vscode.window.onDidChangeVisibleTextEditors((editors) => editors.forEach((e) => this.apply(e))),
      vscode.workspace.onDidChangeTextDocument((e) => this.edited(e)),
      vscode.workspace.onDidCloseTextDocument((d) => this.clear(d.uri)),
    );
  }

  show(document: vscode.TextDocument, { report, lines }: RunPairResult): void {
    const key = document.uri.toString();
    const annotations = annotationsOf(report);
    const pair = `${report.server.annotationLine}:${report.client.annotationLine}`;
    const runs = (this.byDocument.get(key) ?? []).filter((r) => r.pair !== pair);
    this.byDocument.set(key, [...runs, { pair, annotations, extent: lines }]);
    this.applyAll(document.uri);
  }

  clear(uri: vscode.Uri): void {
    if (this.byDocument.delete(uri.toString())) this.applyAll(uri);
  }

  get(uri: vscode.Uri): RunAnnotation[] {
    return (this.byDocument.get(uri.toString()) ?? []).flatMap((r) => r.annotations).sort((a, b) => a.line - b.line);
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    Object.values(this.types).forEach((t) => t.dispose());
    this.byDocument.clear();
  }

  /** Drops the runs whose snippets an edit touched (or whose lines it moved). */
  private edited(e: vscode.TextDocumentChangeEvent): void {
    const key = e.document.uri.toString();
    const runs = this.byDocument.get(key);
    if (!runs || e.contentChanges.length === 0) return;
    const changes = e.contentChanges.map((c) => ({
      startLine: c.range.start.line,
      endLine: c.range.end.line,
      linesChanged: c.range.start.line !== c.range.end.line || /\r|\n/.test(c.text),
    }));
    const kept = runs.filter((run) => !changes.some((c) => changeInvalidates(run.extent, c)));
    if (kept.length === runs.length) return;
    if (kept.length === 0) this.byDocument.delete(key);
    else this.byDocument.set(key, kept);
    this.applyAll(e.document.uri);
  }

  private applyAll(uri: vscode.Uri): void {
    for (const editor of vscode.window.visibleTextEditors) {
      if (editor.document.uri.toString() === uri.toString()) this.apply(editor);
    }
  }

  private apply(editor: vscode.TextEditor): void {
    const items = this.get(editor.document.uri);
    const lastLine = editor.document.lineCount - 1;
    for (const kind of Object.keys(this.types) as AnnotationKind[]) {
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
