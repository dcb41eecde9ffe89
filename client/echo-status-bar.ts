// The echo server in the status bar: `$(radio-tower) DTLS echo :4242 · 2 sessions · 37 pkts` while it
// runs (hidden otherwise); a click opens a menu of what can be done with it.
import * as vscode from 'vscode';
import { statusBarText, type EchoSnapshot } from './echo-log';
import type { EchoServerProcess } from './echo-server';

export const ECHO_MENU_COMMAND = 'dtlsLab.echoMenu';

export class EchoStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('dtlsLab.echo', vscode.StatusBarAlignment.Left, 10);
  private readonly subscription: vscode.Disposable;

  constructor(server: EchoServerProcess) {
    this.item.name = 'Godot DTLS Lab echo server';
    this.item.command = ECHO_MENU_COMMAND;
    this.subscription = server.onDidChange((snapshot) => this.render(snapshot));
  }

  /** What the item shows now ('' when hidden); the e2e suite reads it. */
  get text(): string {
    return this.visible ? this.item.text : '';
  }

  private visible = false;

  render(snapshot: EchoSnapshot | undefined): void {
    if (!snapshot) {
      this.visible = false;
      this.item.hide();
      return;
    }
    this.item.text = statusBarText(snapshot);
    const where = snapshot.port !== undefined ? `${snapshot.host ?? '127.0.0.1'}:${snapshot.port}` : 'starting';
    this.item.tooltip = new vscode.MarkdownString(
      `**DTLS echo server** on udp ${where}\n\n${snapshot.sessions} session(s) open, ${snapshot.handshakes} handshake(s), ` +
        `${snapshot.echoes} echo(es), ${snapshot.packets} datagram(s)` +
        `${snapshot.fingerprint ? `\n\nSHA-256 \`${snapshot.fingerprint}\`` : ''}\n\nClick for the menu.`,
    );
    this.visible = true;
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
