// The `dtlsLab.limits.*` settings through the real language server: the test client answers
// workspace/configuration (as VS Code does from the settings) and the run obeys the limits; a
// snippet's own `timeout=` still wins; a value out of bounds is reported and the default applies.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { LspClient } from './lsp-client';

let lsp: LspClient;

before(async () => {
  lsp = (await LspClient.start({ diagnosticsDelayMs: 0 }, {})).client;
});

after(() => lsp.stop());

/** A client that adds up 0..59999 without waiting (about 240,000 steps), then prints the sum. */
const busyPair = [
  '# @dtls server',
  'extends Node',
  'func _ready():',
  '\tprint("server up")',
  '# @dtls client',
  'extends Node',
  'func _ready():',
  '\tvar total := 0',
  '\tfor i in 60000:',
  '\t\ttotal += i',
  '\tprint("total ", total)',
].join('\n');

/** A client that waits for ever (it polls nothing and never ends), optionally with `timeout=`. */
const waitingPair = (option = '') => [
  '# @dtls server',
  'extends Node',
  'func _ready():',
  '\tprint("server up")',
  `# @dtls client${option}`,
  'extends Node',
  'func _ready():',
  '\twhile true:',
  '\t\tOS.delay_msec(50)',
].join('\n');

test('dtlsLab.limits.steps: a small step budget stops the loop with the step-budget diagnostic at its line', async () => {
  const uri = 'untitled:limits-steps';
  lsp.open(uri, 'gdscript', busyPair);
  lsp.configuration['dtlsLab.limits'] = { steps: 20_000 };
  const stopped = await lsp.run(uri, 0, null);
  const problem = stopped.report.problems.find((p) => p.code === 'step-budget');
  assert.ok(problem, stopped.text);
  assert.match(problem.message, /^Stopped after 20,000 steps without waiting/);
  assert.ok(problem.range.start.line >= 8 && problem.range.start.line <= 9, `line ${problem.range.start.line}`);
  assert.equal(stopped.report.ok, false);
  const published = await lsp.diagnosticsFor(uri, (ds) => ds.some((d) => d.code === 'step-budget'), 'the step-budget diagnostic');
  assert.match(published.find((d) => d.code === 'step-budget')!.message, /20,000 steps/);

  // The default budget (2,000,000 steps) lets the same loop finish.
  lsp.configuration['dtlsLab.limits'] = {};
  const finished = await lsp.run(uri, 0, null);
  assert.equal(finished.report.problems.some((p) => p.code === 'step-budget'), false, finished.text);
  const client = finished.report.peers.find((p) => p.role === 'client')!;
  assert.deepEqual(client.prints.map((p) => p.text), ['total 1799970000']);
  lsp.close(uri);
});

test('dtlsLab.limits.timeoutMs ends a run early; a snippet\'s own timeout= still wins', async () => {
  lsp.configuration['dtlsLab.limits'] = { timeoutMs: 500 };
  const uri = 'untitled:limits-timeout';
  lsp.open(uri, 'gdscript', waitingPair());
  const short = await lsp.run(uri, 0, null);
  const timeout = short.report.problems.find((p) => p.code === 'timeout');
  assert.ok(timeout, short.text);
  assert.match(timeout.message, /stopped after 0\.5 s/);
  lsp.close(uri);

  const annotated = 'untitled:limits-annotated';
  lsp.open(annotated, 'gdscript', waitingPair(' timeout=1500'));
  const own = await lsp.run(annotated, 0, null);
  assert.match(own.report.problems.find((p) => p.code === 'timeout')?.message ?? own.text, /stopped after 1\.5 s/);
  lsp.close(annotated);
});

test('dtlsLab.limits.wallMs bounds the real time of a run', async () => {
  // On the UDP link (127.0.0.1) the run's clock is the real one: with the largest run time, only
  // the real-time limit stops a client that waits for ever.
  lsp.configuration['dtlsLab.limits'] = { wallMs: 1000, timeoutMs: 600_000 };
  const uri = 'untitled:limits-wall';
  lsp.open(uri, 'gdscript', waitingPair());
  const started = Date.now();
  const result = await lsp.run(uri, 0, 'udp');
  const elapsed = Date.now() - started;
  assert.equal(result.report.link, 'udp');
  const timeout = result.report.problems.find((p) => p.code === 'timeout');
  assert.ok(timeout, result.text);
  assert.match(timeout.message, /more than 1 s of real time/);
  assert.ok(elapsed >= 1000 && elapsed < 15_000, `${elapsed} ms`);
  lsp.close(uri);
});

test('a limit out of bounds is reported in the server log and the default applies', async () => {
  const logs = lsp.collect<{ type: number; message: string }>('window/logMessage');
  lsp.configuration['dtlsLab.limits'] = { steps: 5 };
  const uri = 'untitled:limits-bad';
  lsp.open(uri, 'gdscript', busyPair);
  const result = await lsp.run(uri, 0, null);
  assert.equal(result.report.problems.some((p) => p.code === 'step-budget'), false, result.text);
  const warning = await lsp.until(() => logs.find((l) => l.message.includes('dtlsLab.limits.steps')), 'the warning');
  assert.equal(warning.message, 'dtlsLab.limits.steps = 5 is not a whole number from 10000 to 1000000000; the default 2000000 applies.');
  lsp.close(uri);
  delete lsp.configuration['dtlsLab.limits'];
});
