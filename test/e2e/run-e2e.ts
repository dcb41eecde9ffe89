// End-to-end tests in a real VS Code, offline: code-server (VS Code 1.100 server + web workbench, real
// Node extension host) driven by Debian's chromium through playwright-core.
//
//   node out/test/e2e/run-e2e.js          (the last step of `npm test`; `npm run test:e2e` alone)
//
// 1. installs test/e2e/host (code-server, playwright-core, mocha) when missing;
// 2. runs the mocha suite out/test/e2e/suite inside the extension host (workbench `payload` URL with
//    extensionDevelopmentPath + extensionTestsPath; the exit code comes back via codeAutomationExit);
// 3. in two fresh dev-mode sessions (light and dark theme) opens examples/echo-pair.gd, clicks
//    "▶ Run DTLS pair", checks the output and the decorations, opens the timeline, finds its lanes in
//    the webview frame, clicks an event there and checks the editor moved to its line; saves
//    docs/editor-{light,dark}.png, docs/timeline-{light,dark}.png (and docs/screenshot.png = dark);
// 4. in Restricted Mode, checks static diagnostics still come and the run lens is refused;
// 5. packages the .vsix, installs it with `code-server --install-extension` and checks the lens runs.
// code-server always runs in its own process group and is always killed. Needs /usr/bin/chromium and
// /usr/bin/rg (apt: chromium ripgrep libkrb5-dev) and npm registry access for the first install.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, cpSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { createServer } from 'node:net';
import * as path from 'node:path';
import { format } from 'node:util';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const HOST = path.join(ROOT, 'test', 'e2e', 'host');
const WORK = path.join(HOST, 'run', 'session');
const RG_CACHE = path.join(HOST, 'run', 'tmp');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const RG = process.env.RG_PATH ?? '/usr/bin/rg';
const LENS_TITLE = '▶ Run DTLS pair';
const LOSS_LENS_TITLE = '▶ Run with 20% loss';
const BUDGET_MS = 5 * 60_000;
const THEMES = { light: 'Default Light Modern', dark: 'Default Dark Modern' } as const;
type Theme = keyof typeof THEMES;
const CHROME_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--no-first-run', '--disable-sync', '--disable-dev-shm-usage'];
const SETTINGS = {
  'workbench.startupEditor': 'none', 'workbench.tips.enabled': false, 'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off', 'security.workspace.trust.enabled': false, 'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false, 'extensions.ignoreRecommendations': true, 'update.mode': 'none',
  'chat.commandCenter.enabled': false, 'window.commandCenter': false, 'git.enabled': false, 'git.openRepositoryInParentFolders': 'never',
  'files.exclude': { '**/node_modules': true, 'out': true, 'out-*': true, 'test/e2e/host/run': true },
  'workbench.colorTheme': 'Default Dark Modern', 'editor.minimap.enabled': false, 'workbench.panel.defaultLocation': 'right',
};

// ---- the small part of playwright-core this file uses (it lives in the host, not in the project) ----
interface Frame {
  url(): string;
  evaluate<R>(fn: () => R): Promise<R>;
  click(selector: string, options?: { timeout?: number }): Promise<void>;
}
interface Page {
  goto(url: string): Promise<unknown>;
  frames(): Frame[];
  exposeFunction(name: string, fn: (...args: never[]) => unknown): Promise<void>;
  waitForSelector(selector: string, options?: { timeout?: number }): Promise<unknown>;
  waitForFunction<A>(fn: (arg: A) => unknown, arg: A, options?: { timeout?: number; polling?: number }): Promise<unknown>;
  waitForTimeout(ms: number): Promise<void>;
  click(selector: string, options?: { timeout?: number }): Promise<void>;
  keyboard: { press(key: string): Promise<void>; type(text: string, options?: { delay?: number }): Promise<void> };
  screenshot(options: { path: string }): Promise<unknown>;
  evaluate<R>(fn: () => R): Promise<R>;
  mouse: { move(x: number, y: number, options?: { steps?: number }): Promise<void>; down(): Promise<void>; up(): Promise<void> };
  close(): Promise<void>;
}
interface Browser { newPage(options: { viewport: { width: number; height: number }; colorScheme?: 'light' | 'dark' }): Promise<Page>; close(): Promise<void> }
interface PageElement { textContent: string | null; getBoundingClientRect(): { x: number; y: number; width: number; height: number } }
interface PageGlobals {
  document: {
    querySelectorAll(selector: string): Iterable<PageElement>;
    querySelector(selector: string): PageElement | null;
    getElementById(id: string): PageElement | null;
  };
  getComputedStyle(element: PageElement, pseudo: string): { content: string };
}
interface Chromium { launch(options: { executablePath: string; headless: boolean; args: string[]; env?: NodeJS.ProcessEnv }): Promise<Browser> }

interface Result { name: string; ok: boolean; detail?: string }
const results: Result[] = [];
const servers = new Set<ChildProcess>();
const t0 = Date.now();
const since = (t: number) => `${((Date.now() - t) / 1000).toFixed(1)} s`;
const log = (...args: unknown[]) => console.log(`[e2e ${since(t0).padStart(7)}]`, ...args);

function record(name: string, ok: boolean, detail?: string): void {
  results.push({ name, ok, detail });
  console.log(`${ok ? '  ✔' : '  ✘'} ${name}${detail ? ` — ${detail}` : ''}`);
}

// ---- host installation -----------------------------------------------------------------------------
function hostInstalled(): boolean {
  return existsSync(path.join(HOST, 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg'))
    && existsSync(path.join(HOST, 'node_modules', 'playwright-core', 'package.json'))
    && existsSync(path.join(HOST, 'node_modules', 'mocha', 'package.json'));
}

function installHost(): void {
  const t = Date.now();
  if (!existsSync(RG)) throw new Error(`${RG} is missing (apt-get install ripgrep): @vscode/ripgrep would try to download it from GitHub.`);
  // @vscode/ripgrep looks for its download in $TMPDIR/vscode-ripgrep-cache-<version>/ before going online.
  const cache = path.join(RG_CACHE, 'vscode-ripgrep-cache-1.15.11');
  const staging = path.join(RG_CACHE, 'rg');
  mkdirSync(cache, { recursive: true });
  mkdirSync(staging, { recursive: true });
  cpSync(RG, path.join(staging, 'rg'));
  const tar = spawnSync('tar', ['-C', staging, '-czf', path.join(cache, 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz'), 'rg']);
  if (tar.status !== 0) throw new Error(`tar failed: ${tar.stderr}`);
  const verb = existsSync(path.join(HOST, 'package-lock.json')) ? 'ci' : 'install';
  log(`installing the VS Code host: npm ${verb} in ${path.relative(ROOT, HOST)} (about a minute; native addons build from source)`);
  const logFile = path.join(HOST, 'run', 'install.log');
  const fd = openSync(logFile, 'w');
  const npm = spawnSync('npm', [verb, '--unsafe-perm', '--no-audit', '--no-fund'], {
    cwd: HOST,
    stdio: ['ignore', fd, fd],
    // npm_config_yes: node-pty's postinstall runs `npx node-gyp`; unsafe_perm: code-server's postinstall refuses root without it.
    env: { ...process.env, TMPDIR: RG_CACHE, npm_config_yes: 'true', npm_config_unsafe_perm: 'true' },
    timeout: 15 * 60_000,
  });
  closeSync(fd);
  if (npm.status !== 0 || !hostInstalled()) {
    console.error(readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n'));
    throw new Error(`npm ${verb} of the VS Code host failed (log: ${logFile})`);
  }
  log(`host installed in ${since(t)}`);
}

// ---- code-server -----------------------------------------------------------------------------------
interface CodeServer { name: string; base: string; process: ChildProcess; logFile: string; env: NodeJS.ProcessEnv; dirs: { data: string; exts: string } }

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function sessionEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const home = path.join(WORK, 'home');
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(VSCODE_|ELECTRON_RUN_AS_NODE)/.test(k)) env[k] = v;
  return {
    ...env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), XDG_DATA_HOME: path.join(home, '.local', 'share'),
    XDG_CACHE_HOME: path.join(home, '.cache'), TMPDIR: path.join(WORK, 'tmp'), EXTENSIONS_GALLERY: '{}', ...extra,
  };
}

function codeServerBin(): string {
  return path.join(HOST, 'node_modules', '.bin', 'code-server');
}

/** `restricted`: workspace trust on and the folder not trusted (Restricted Mode, no prompt). */
async function startCodeServer(name: string, options: { env?: NodeJS.ProcessEnv; exts?: string; theme?: Theme; restricted?: boolean } = {}): Promise<CodeServer> {
  const port = await freePort();
  const data = path.join(WORK, `data-${name}`);
  const exts = options.exts ?? path.join(WORK, `exts-${name}`);
  mkdirSync(path.join(data, 'User'), { recursive: true });
  mkdirSync(exts, { recursive: true });
  // The web workbench keeps the browser's colour scheme over workbench.colorTheme: each page also
  // emulates the scheme of its theme (newPage colorScheme), and auto-detection picks these themes.
  const theme = { 'workbench.colorTheme': THEMES[options.theme ?? 'dark'], 'window.autoDetectColorScheme': true,
    'workbench.preferredDarkColorTheme': THEMES.dark, 'workbench.preferredLightColorTheme': THEMES.light };
  const trust = options.restricted ? { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' } : {};
  writeFileSync(path.join(data, 'User', 'settings.json'), JSON.stringify({ ...SETTINGS, ...theme, ...trust }, null, 2));
  const logFile = path.join(WORK, `code-server-${name}.log`);
  const fd = openSync(logFile, 'w');
  const env = sessionEnv(options.env);
  const child = spawn(codeServerBin(), ['--config', '/dev/null', '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`,
    '--user-data-dir', data, '--extensions-dir', exts, '--disable-telemetry', '--disable-update-check',
    ...(options.restricted ? [] : ['--disable-workspace-trust']), '--disable-getting-started-override'], { detached: true, stdio: ['ignore', fd, fd], env });
  closeSync(fd);
  servers.add(child);
  const base = `http://127.0.0.1:${port}`;
  const t = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`code-server exited (${child.exitCode}); log ${logFile}`);
    const healthy = await fetch(`${base}/healthz`).then((r) => r.ok, () => false);
    if (healthy) break;
    if (Date.now() - t > 30_000) throw new Error(`code-server not healthy after 30 s; log ${logFile}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  log(`code-server "${name}" up on ${base} in ${since(t)}`);
  return { name, base, process: child, logFile, env, dirs: { data, exts } };
}

/** SIGTERM to the whole process group (code-server, its extension hosts, our language server), SIGKILL after 3 s. */
async function stopCodeServer(server: CodeServer | ChildProcess): Promise<void> {
  const child = 'process' in server ? server.process : server;
  servers.delete(child);
  const pid = child.pid;
  if (pid === undefined) return;
  const signal = (s: NodeJS.Signals) => { try { process.kill(-pid, s); } catch { /* group gone */ } };
  if (child.exitCode === null && child.signalCode === null) {
    signal('SIGTERM');
    await Promise.race([once(child, 'exit'), new Promise((r) => setTimeout(r, 3000).unref())]);
  }
  signal('SIGKILL'); // whatever is left in the group
}

/** Last resort (exit, signals): synchronous SIGKILL of every group still known. */
function killAll(): void {
  for (const child of servers) {
    if (child.pid !== undefined) try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
  }
  servers.clear();
}

const remote = (server: CodeServer, p: string) => `vscode-remote://${new URL(server.base).host}${p}`;

function workbenchUrl(server: CodeServer, payload?: [string, string][]): string {
  let url = `${server.base}/?folder=${encodeURIComponent(ROOT)}`;
  if (payload) url += `&payload=${encodeURIComponent(JSON.stringify([...payload, ['skipWelcome', 'true']]))}`;
  return url;
}

// ---- sessions --------------------------------------------------------------------------------------
/** The mocha suite inside the extension host; one result per test, from the spec reporter's lines. */
async function suiteSession(browser: Browser): Promise<void> {
  const server = await startCodeServer('suite', { env: { MOCHA_PATH: path.join(HOST, 'node_modules', 'mocha') } });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  try {
    const lines: string[] = [];
    const exit = new Promise<number>((resolve) => {
      void page.exposeFunction('codeAutomationLog', (_type: string, args: unknown[]) => {
        const text = format(...(args as [unknown, ...unknown[]]));
        if (/open-vsx|^\s+at /.test(text)) return;
        lines.push(...text.split('\n'));
        console.log(text.replace(/^/gm, '    │ '));
      });
      void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code));
    });
    const t = Date.now();
    await page.goto(workbenchUrl(server, [
      ['extensionDevelopmentPath', remote(server, ROOT)],
      ['extensionTestsPath', remote(server, path.join(__dirname, 'suite', 'index.js'))],
    ]));
    const code = await Promise.race([exit, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 150_000).unref())]);
    log(`suite: codeAutomationExit(${code}) after ${since(t)}`);
    const passed = lines.filter((l) => /^\s+✔ /.test(l)).map((l) => l.replace(/^\s+✔ /, '').replace(/ \(\d+ms\)$/, ''));
    const failed = lines.filter((l) => /^\s+\d+\) /.test(l) && !/^\s+\d+\) .*:$/.test(l)).map((l) => l.trim());
    for (const name of passed) record(`in VS Code: ${name}`, true);
    const failing = Number(/(\d+) failing/.exec(lines.join('\n'))?.[1] ?? 0);
    for (const name of failed.slice(0, failing)) record(`in VS Code: ${name}`, false);
    if (code !== 0 && failing === 0) record('in VS Code: the suite ran to the end', false, `exit ${code}; see ${server.logFile}`);
    if (code === 0 && passed.length === 0) record('in VS Code: the suite ran tests', false, 'no passing test seen in the log');
  } finally {
    await page.close().catch(() => undefined);
    await stopCodeServer(server);
  }
}

/** Opens examples/echo-pair.gd, clicks the lens and waits for the run's output and decorations. */
/** `everything`: also require the print decorations (they must be on screen, so a tall viewport). */
async function runFromTheLens(page: Page, server: CodeServer, url: string, screenshot: string, everything: boolean): Promise<string | undefined> {
  const t = Date.now();
  await page.goto(url);
  await page.waitForSelector('.monaco-workbench .part.editor', { timeout: 60_000 });
  await page.waitForSelector('.explorer-item', { timeout: 30_000 }).catch(() => undefined);
  await page.keyboard.press('Control+P');
  await page.waitForSelector('.quick-input-widget input');
  await page.keyboard.type('examples/echo-pair.gd', { delay: 10 });
  await page.waitForSelector('.quick-input-list .monaco-list-row');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.part.editor .monaco-editor .view-lines', { timeout: 30_000 });
  await page.keyboard.press('Control+B'); // hide the side bar: room for the editor and the output beside it
  const lens = `.part.editor .codelens-decoration a:has-text("${LENS_TITLE}")`;
  try {
    await page.waitForSelector(lens, { timeout: 45_000 });
  } catch {
    await page.screenshot({ path: screenshot });
    return `no "${LENS_TITLE}" lens after ${since(t)} (see ${screenshot}, ${server.logFile})`;
  }
  log(`${server.name}: lens visible after ${since(t)}`);
  await page.click(lens);
  const shown = await page.waitForFunction(({ needles, decorations }: { needles: string[]; decorations: string[] }) => {
    // Runs in the page (serialized by playwright): only browser globals, no closures.
    const { document, getComputedStyle } = globalThis as unknown as PageGlobals;
    const text = (selector: string) => [...document.querySelectorAll(selector)].map((e) => e.textContent ?? '').join('\n').replace(/\u00a0/g, ' ');
    const output = text('.part.panel .view-lines');
    // Decoration text is CSS content of ::after pseudo-elements in the editor.
    const after = [...document.querySelectorAll('.part.editor .view-lines span')]
      .map((e) => getComputedStyle(e, '::after').content).join('\n');
    return needles.every((n) => output.includes(n)) && decorations.every((d) => after.includes(d));
  }, {
    needles: ['client got: hello', 'server got: hello'],
    // (CSS content comes back quoted and escaped: match the words only)
    decorations: ['client → STATUS_CONNECTED (2)', ...(everything ? ['⟵', 'server got: hello', 'client got: hello'] : [])],
  }, { timeout: 30_000, polling: 250 }).then(() => true, () => false);
  await widenPanel(page, 0.5);
  await page.waitForTimeout(800);
  await page.screenshot({ path: screenshot });
  if (!shown) return `no run output + decorations after clicking the lens (see ${screenshot}, ${server.logFile})`;
  log(`${server.name}: output and decorations after ${since(t)}; screenshot ${path.relative(ROOT, screenshot)}`);
  return undefined;
}

/** Drags the sash between the editor and the panel (on the right) so the panel takes `share` of the width left of it. */
async function widenPanel(page: Page, share: number): Promise<void> {
  const box = await page.evaluate(() => {
    const { document } = globalThis as unknown as PageGlobals;
    const panel = document.querySelector('.part.panel')?.getBoundingClientRect();
    const editor = document.querySelector('.part.editor')?.getBoundingClientRect();
    return panel && editor ? { x: panel.x, y: panel.y + panel.height / 2, left: editor.x, right: panel.x + panel.width } : undefined;
  });
  if (!box || box.x <= box.left) return;
  const target = Math.round(box.left + (box.right - box.left) * (1 - share));
  await page.mouse.move(box.x - 1, box.y);
  await page.mouse.down();
  await page.mouse.move(target, box.y, { steps: 8 });
  await page.mouse.up();
  await page.mouse.move(5, box.y); // away from the sash (it highlights on hover)
}

/** Runs a palette command by its title (F1, type, Enter). */
async function paletteCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  await page.waitForSelector('.quick-input-widget input');
  await page.keyboard.type(title, { delay: 5 });
  await page.waitForSelector(`.quick-input-list .monaco-list-row[aria-label*="${title}"]`, { timeout: 10_000 });
  await page.keyboard.press('Enter');
}

/** The text of the timeline webview (a frame nested in the workbench's webview iframe), once it has `needles`. */
async function timelineFrame(page: Page, needles: string[], ms: number): Promise<{ frame: Frame; text: string } | undefined> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      const text = await frame.evaluate(() => {
        const { document } = globalThis as unknown as PageGlobals;
        return document.getElementById('root')?.textContent ?? '';
      }).catch(() => '');
      if (needles.every((n) => text.includes(n))) return { frame, text };
    }
    await page.waitForTimeout(250);
  }
  return undefined;
}

/** The editor's cursor line, from the status bar's "Ln N, Col M". */
async function cursorLine(page: Page): Promise<number | undefined> {
  const text = await page.evaluate(() => {
    const { document } = globalThis as unknown as PageGlobals;
    return [...document.querySelectorAll('.part.statusbar .statusbar-item')].map((e) => e.textContent ?? '').join(' ');
  });
  const match = /Ln (\d+), Col/.exec(text);
  return match ? Number(match[1]) : undefined;
}

/** Editor with inline results, then the timeline webview: checked and photographed in one theme. */
async function screenshotSession(browser: Browser, theme: Theme): Promise<void> {
  const server = await startCodeServer(`screenshot-${theme}`, { theme });
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 }, colorScheme: theme });
  const docs = path.join(ROOT, 'docs');
  try {
    const url = workbenchUrl(server, [['extensionDevelopmentPath', remote(server, ROOT)]]);
    mkdirSync(docs, { recursive: true });
    const editorShot = path.join(docs, `editor-${theme}.png`);
    const failure = await runFromTheLens(page, server, url, editorShot, true);
    record(`${theme} theme: clicking the lens shows the run output and inline results (docs/editor-${theme}.png)`, !failure, failure);
    if (failure) return;
    if (theme === 'dark') cpSync(editorShot, path.join(docs, 'screenshot.png'));

    // The same pair with 20% loss (seeded: the same drops every time), then its timeline beside the editor.
    await page.click(`.part.editor .codelens-decoration a:has-text("${LOSS_LENS_TITLE}")`);
    await page.waitForTimeout(1500);
    await page.keyboard.press('Control+J'); // hide the output panel
    await paletteCommand(page, 'Godot DTLS Lab: Show timeline');
    const found = await timelineFrame(page,
      ['server ⇄ client', 'CONNECTED', 'HANDSHAKING', 'HelloVerifyRequest', '↻ retransmission', 'dropped: link loss 20%', 'client got: hello'], 20_000);
    const timelineShot = path.join(docs, `timeline-${theme}.png`);
    await page.waitForTimeout(600);
    await page.screenshot({ path: timelineShot });
    record(`${theme} theme: after a run with 20% loss the timeline webview shows both lanes, the statuses, the cookie exchange, drops, retransmissions and the prints (docs/timeline-${theme}.png)`,
      found !== undefined, found ? undefined : `not found in any frame (see ${timelineShot})`);
    if (!found) return;

    // Clicking the "client got: hello" print in the webview selects its line in the editor.
    const target = readFileSync(path.join(ROOT, 'examples', 'echo-pair.gd'), 'utf8').split('\n').findIndex((l) => l.includes('print("client got: "')) + 1;
    // The webview's script may still be wiring its handlers right after it drew: click again (at most
    // three times, 3 s apart) until the editor's cursor moves there.
    let line: number | undefined;
    for (let attempt = 0; attempt < 3 && line !== target; attempt++) {
      await found.frame.click('li.event-print.clickable:has-text("client got: hello")', { timeout: 5000 });
      for (let i = 0; i < 20 && line !== target; i++) {
        await page.waitForTimeout(150);
        line = await cursorLine(page);
      }
    }
    record(`${theme} theme: clicking a print in the timeline reveals its source line`, line === target, line === target ? undefined : `cursor on line ${line}, expected ${target}`);
    log(`${server.name}: timeline checked; screenshots ${path.relative(ROOT, editorShot)}, ${path.relative(ROOT, timelineShot)}`);
  } finally {
    await page.close().catch(() => undefined);
    await stopCodeServer(server);
  }
}

/** Restricted Mode: the lens is refused with a clear message, nothing runs, static diagnostics still come. */
async function restrictedSession(browser: Browser): Promise<void> {
  const server = await startCodeServer('restricted', { restricted: true });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const shot = path.join(WORK, 'restricted.png');
  try {
    await page.goto(workbenchUrl(server, [['extensionDevelopmentPath', remote(server, ROOT)]]));
    await page.waitForSelector('.monaco-workbench .part.editor', { timeout: 60_000 });
    await page.keyboard.press('Control+P');
    await page.waitForSelector('.quick-input-widget input');
    await page.keyboard.type('media/walkthrough/godot3-client.gd', { delay: 10 });
    await page.waitForSelector('.quick-input-list .monaco-list-row[aria-label*="godot3-client.gd"]');
    await page.keyboard.press('Enter');
    const squiggle = await page.waitForSelector('.part.editor .squiggly-error', { timeout: 45_000 }).then(() => true, () => false);
    record('Restricted Mode: static diagnostics still work (Godot 3 errors underlined)', squiggle, squiggle ? undefined : `no error squiggle (see ${shot})`);

    await page.keyboard.press('Control+P');
    await page.waitForSelector('.quick-input-widget input');
    await page.keyboard.type('examples/echo-pair.gd', { delay: 10 });
    await page.waitForSelector('.quick-input-list .monaco-list-row[aria-label*="echo-pair.gd"]');
    await page.keyboard.press('Enter');
    const lens = `.part.editor .codelens-decoration a:has-text("${LENS_TITLE}")`;
    if (!(await page.waitForSelector(lens, { timeout: 45_000 }).then(() => true, () => false))) {
      await page.screenshot({ path: shot });
      record('Restricted Mode: the run lens is refused with a message and nothing runs', false, `no lens (see ${shot})`);
      return;
    }
    await page.click(lens);
    const refused = await page.waitForFunction((needle: string) => {
      const { document } = globalThis as unknown as PageGlobals;
      return [...document.querySelectorAll('.notifications-toasts .notification-list-item-message')].some((e) => (e.textContent ?? '').includes(needle));
    }, 'disabled in Restricted Mode', { timeout: 15_000, polling: 250 }).then(() => true, () => false);
    await page.waitForTimeout(2000);
    const ran = await page.evaluate(() => {
      const { document, getComputedStyle } = globalThis as unknown as PageGlobals;
      return [...document.querySelectorAll('.part.editor .view-lines span')].some((e) => getComputedStyle(e, '::after').content.includes('STATUS_CONNECTED'));
    });
    await page.screenshot({ path: shot });
    record('Restricted Mode: the run lens is refused with a message and nothing runs', refused && !ran,
      refused && !ran ? undefined : `${refused ? '' : 'no "disabled in Restricted Mode" notification; '}${ran ? 'the pair ran; ' : ''}see ${shot}`);
  } finally {
    await page.close().catch(() => undefined);
    await stopCodeServer(server);
  }
}

async function vsixSession(browser: Browser): Promise<void> {
  // The project's own packaging script (vsce 3, offline), then a real install into a fresh extensions dir.
  const vsix = path.join(ROOT, 'dist', 'godot-dtls-lab.vsix');
  rmSync(vsix, { force: true });
  const t = Date.now();
  const pack = spawnSync('npm', ['run', 'package', '--silent'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000, stdio: ['ignore', 'pipe', 'pipe'] });
  if (pack.status !== 0 || !existsSync(vsix)) {
    record('.vsix: npm run package', false, `${pack.stdout}\n${pack.stderr}`.trim().split('\n').slice(-6).join(' | '));
    return;
  }
  log(`npm run package: ${path.relative(ROOT, vsix)} in ${since(t)}`);
  const exts = path.join(WORK, 'exts-vsix');
  const install = spawnSync(codeServerBin(), ['--install-extension', vsix, '--extensions-dir', exts, '--user-data-dir', path.join(WORK, 'data-vsix-install')],
    { encoding: 'utf8', env: sessionEnv(), timeout: 60_000 });
  if (install.status !== 0) {
    record('.vsix: code-server --install-extension', false, (install.stderr || install.stdout).trim().split('\n').slice(-5).join(' | '));
    return;
  }
  const server = await startCodeServer('vsix', { exts });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  try {
    const failure = await runFromTheLens(page, server, workbenchUrl(server), path.join(WORK, 'vsix.png'), false);
    record('installed .vsix: the lens runs the pair', !failure, failure);
  } finally {
    await page.close().catch(() => undefined);
    await stopCodeServer(server);
  }
}

async function main(): Promise<number> {
  const missing = ['dist/extension.js', 'dist/server.js', 'dist/cli.js', 'examples/echo-pair.gd'].map((f) => path.join(ROOT, f))
    .concat(path.join(__dirname, 'suite', 'index.js'))
    .filter((f) => !existsSync(f));
  if (missing.length) throw new Error(`missing ${missing.join(', ')} (run \`npm run build && npx tsc -p .\` first)`);
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing (apt-get install chromium, or set CHROMIUM_PATH)`);
  if (!hostInstalled()) installHost();
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(path.join(WORK, 'tmp'), { recursive: true });
  mkdirSync(path.join(WORK, 'home'), { recursive: true });

  const watchdog = setTimeout(() => {
    console.error(`e2e: over the ${BUDGET_MS / 1000} s budget, giving up`);
    killAll();
    record('finished within the time budget', false);
    summary();
    process.exit(1);
  }, BUDGET_MS);
  const tRun = Date.now();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { chromium } = require(path.join(HOST, 'node_modules', 'playwright-core')) as { chromium: Chromium };
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROME_ARGS, env: sessionEnv() });
  try {
    const sessions: [string, (b: Browser) => Promise<void>][] = [
      ['suite', suiteSession],
      ['light', (b) => screenshotSession(b, 'light')],
      ['dark', (b) => screenshotSession(b, 'dark')],
      ['restricted', restrictedSession],
      ['vsix', vsixSession],
    ];
    // E2E_ONLY=suite,dark (names of sessions) runs a subset while working on one part.
    const only = process.env.E2E_ONLY?.split(',').map((n) => n.trim());
    for (const [name, session] of sessions.filter(([n]) => !only || only.includes(n))) {
      try {
        await session(browser);
      } catch (error) {
        record(`${name} session`, false, error instanceof Error ? error.message : String(error));
      }
    }
  } finally {
    await browser.close().catch(() => undefined);
    await Promise.all([...servers].map((child) => stopCodeServer(child)));
    clearTimeout(watchdog);
  }
  log(`e2e sessions took ${since(tRun)}`);
  return summary();
}

function summary(): number {
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  return failed === 0 && passed > 0 ? 0 : 1;
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => { killAll(); process.exit(130); });
}
process.on('exit', killAll);

main().then((code) => {
  process.exitCode = code;
}, (error: unknown) => {
  killAll();
  console.error(`e2e: ${error instanceof Error ? error.message : String(error)}`);
  console.log('e2e: 0 passed, 1 failed');
  process.exitCode = 1;
});
