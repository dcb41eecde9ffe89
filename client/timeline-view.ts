// "Godot DTLS Lab: Show timeline": a webview panel beside the editor that draws the last run (lanes,
// messages, prints and errors; media/timeline.js) and follows every later run. Clicking an event
// reveals its line in the document the run came from.
import * as vscode from 'vscode';
import type { RunReport } from '../engine/sandbox/report';
import { timelinePage } from './timeline-html';
import { timelineModel } from './timeline-model';

export const TIMELINE_VIEW_TYPE = 'dtlsLab.timeline';

interface LastRun {
  uri: vscode.Uri;
  report: RunReport;
}

export class TimelineView implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private last: LastRun | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly extensionUri: vscode.Uri) {}

  /** The last run seen (the export commands use it too). */
  get lastRun(): LastRun | undefined {
    return this.last;
  }

  /** Called after every run, wherever it was started; redraws the panel when it is open. */
  update(uri: vscode.Uri, report: RunReport): void {
    this.last = { uri, report };
    this.post();
  }

  show(): void {
    if (this.panel) {
      this.panel.reveal(vscode.ViewColumn.Beside, true);
      return;
    }
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    const panel = vscode.window.createWebviewPanel(TIMELINE_VIEW_TYPE, 'DTLS timeline', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true,
      localResourceRoots: [media],
    });
    panel.iconPath = vscode.Uri.joinPath(media, 'timeline-icon.svg');
    const webview = panel.webview;
    webview.html = timelinePage({
      cspSource: webview.cspSource,
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'timeline.css')).toString(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'timeline.js')).toString(),
    });
    webview.onDidReceiveMessage((message: unknown) => this.received(message), undefined, this.disposables);
    panel.onDidDispose(() => (this.panel = undefined), undefined, this.disposables);
    this.panel = panel;
    this.post();
  }

  dispose(): void {
    this.panel?.dispose();
    this.disposables.forEach((d) => d.dispose());
  }

  private post(): void {
    if (!this.panel || !this.last) return;
    const { uri, report } = this.last;
    const documentName = uri.scheme === 'file' ? vscode.workspace.asRelativePath(uri) : uri.path;
    void this.panel.webview.postMessage({ type: 'model', model: timelineModel(report), documentName });
  }

  private async received(message: unknown): Promise<void> {
    if (!this.last || typeof message !== 'object' || message === null) return;
    const { type, line, character } = message as { type?: unknown; line?: unknown; character?: unknown };
    if (type !== 'reveal' || typeof line !== 'number') return;
    const document = await vscode.workspace.openTextDocument(this.last.uri);
    const at = document.validatePosition(new vscode.Position(line, typeof character === 'number' ? character : 0));
    const shown = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === this.last!.uri.toString());
    const editor = await vscode.window.showTextDocument(document, { viewColumn: shown?.viewColumn ?? vscode.ViewColumn.One, preserveFocus: false });
    editor.selection = new vscode.Selection(at, document.lineAt(at.line).range.end);
    editor.revealRange(new vscode.Range(at, at), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }
}
