// `dtls-lab echo --script FILE.gd`: the server answers with a GDScript handler running in the sandbox.
// Real UDP on 127.0.0.1 with our own DTLS client; the handler's answers, a handler that fails on one
// packet and serves the next, a busy loop stopped by the step budget, a sleep stopped by the time
// limit, and a script with a syntax error that stops the start with its location.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { echoCommand } from '../../engine/cli/echo-command';
import { connectDtlsUdp, type DtlsUdpClient } from '../../engine/dtls';
import { loadOrCreateCertificate } from '../../engine/echo/certificate-store';
import { EchoServer } from '../../engine/echo/echo-server';
import { ScriptHandler, ScriptLoadError, type ScriptHandlerLimits } from '../../engine/echo/script-handler';

const root = join(__dirname, '..', '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'echo-script-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const cert = loadOrCreateCertificate({ configDir: dir, keyType: 'ecdsa' });

function scriptFile(name: string, source: string): string {
  const file = join(dir, name);
  writeFileSync(file, source);
  return file;
}

async function serve(file: string, records: Record<string, unknown>[], limits: Partial<ScriptHandlerLimits> = {}): Promise<EchoServer> {
  const handler = ScriptHandler.load(file, { limits, log: (r) => records.push(r) });
  return EchoServer.start({ port: 0, certificatePem: cert.certificatePem, privateKeyPem: cert.privateKeyPem, handler, log: (r) => records.push(r) });
}

function connect(port: number): Promise<DtlsUdpClient> {
  return connectDtlsUdp('127.0.0.1', port, { serverName: 'localhost', verify: { mode: 'chain', trustedCaPems: [cert.certificatePem], hostname: 'localhost' } });
}

async function ask(client: DtlsUdpClient, text: string, timeoutMs = 3000): Promise<string> {
  client.send(text);
  return Buffer.from(await client.receive(timeoutMs)).toString('utf8');
}

async function nothingWithin(client: DtlsUdpClient, ms: number): Promise<boolean> {
  try {
    await client.receive(ms);
    return false;
  } catch {
    return true;
  }
}

const errorsOf = (records: Record<string, unknown>[]) => records.filter((r) => r.event === 'handler-error');

describe('echo --script: a GDScript packet handler', { timeout: 60_000 }, () => {
  it('answers with what examples/echo-handler.gd returns, keeps per-session state, and calls the session callbacks', { timeout: 20_000 }, async () => {
    const records: Record<string, unknown>[] = [];
    const server = await serve(join(root, 'examples', 'echo-handler.gd'), records);
    try {
      const port = server.address().port;
      const a = await connect(port);
      assert.equal(Buffer.from(await a.receive(3000)).toString(), 'welcome, client 1\n');
      assert.equal(await ask(a, 'hello'), '#1: HELLO\n');
      assert.equal(await ask(a, 'again'), '#2: AGAIN\n');
      const b = await connect(port);
      assert.equal(Buffer.from(await b.receive(3000)).toString(), 'welcome, client 2\n');
      assert.equal(await ask(b, 'other'), '#1: OTHER\n'); // its own session.data
      assert.equal(await ask(a, 'stats'), '3 packets in this session, 2 sessions so far\n');
      a.send('quiet');
      assert.ok(await nothingWithin(a, 300), 'null answers nothing');
      a.send('repeat twice');
      assert.equal(Buffer.from(await a.receive(3000)).toString(), 'twice\n');
      assert.equal(Buffer.from(await a.receive(3000)).toString(), 'twice\n');
      await a.close();
      await b.close();
      const deadline = Date.now() + 3000;
      while (records.filter((r) => r.event === 'handler-print' && /closed/.test(String(r.text))).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      const prints = records.filter((r) => r.event === 'handler-print').map((r) => String(r.text));
      assert.ok(prints.some((p) => /^session 1 from 127\.0\.0\.1:\d+ \(TLS_ECDHE_ECDSA_/.test(p)), prints.join('\n'));
      assert.ok(prints.includes('session 1 closed (close_notify) after 5 packets'), prints.join('\n'));
      assert.ok(prints.includes('session 2 closed (close_notify) after 1 packets'), prints.join('\n'));
      assert.deepEqual(errorsOf(records), []);
    } finally {
      await server.stop();
    }
  });

  it('a handler that fails on one packet answers nothing for it, logs file:line in Godot\'s format and serves the next (and other sessions)', { timeout: 20_000 }, async () => {
    const records: Record<string, unknown>[] = [];
    const file = scriptFile('fails.gd', [
      'extends RefCounted',
      'func handle(packet: PackedByteArray, session: Dictionary):',
      '\tvar text := packet.get_string_from_utf8()',
      '\tif text == "boom":',
      '\t\tvar empty: Array = []',
      '\t\treturn empty[3]',
      '\treturn "ok " + text',
      '',
    ].join('\n'));
    const server = await serve(file, records);
    try {
      const port = server.address().port;
      const a = await connect(port);
      const b = await connect(port);
      assert.equal(await ask(a, 'one'), 'ok one');
      a.send('boom');
      assert.ok(await nothingWithin(a, 300));
      assert.equal(await ask(a, 'two'), 'ok two');
      assert.equal(await ask(b, 'three'), 'ok three');
      const [error] = errorsOf(records);
      assert.ok(error, 'one handler-error record');
      assert.equal(errorsOf(records).length, 1);
      assert.equal(error.line, 6);
      assert.equal(error.function, 'handle');
      assert.match(String((error.lines as string[])[0]), /^SCRIPT ERROR: Out of bounds get index '3'/);
      assert.equal((error.lines as string[])[1], '          at: handle (res://fails.gd:6)');
      assert.match(String(error.address), /^127\.0\.0\.1:\d+$/);
      await a.close();
      await b.close();
      assert.equal(server.counters.toJSON().dropped?.['callback-error' as never] ?? 0, 0);
    } finally {
      await server.stop();
    }
  });

  it('a busy loop hits the step budget with a clear log line; a sleep past --script-timeout is stopped; the server goes on', { timeout: 20_000 }, async () => {
    const records: Record<string, unknown>[] = [];
    const file = scriptFile('loops.gd', [
      'extends RefCounted',
      'func handle(packet: PackedByteArray, session: Dictionary):',
      '\tvar text := packet.get_string_from_utf8()',
      '\tif text == "spin":',
      '\t\tvar n := 0',
      '\t\twhile true:',
      '\t\t\tn += 1',
      '\tif text == "sleep":',
      '\t\tOS.delay_msec(5000)',
      '\tif text == "nap":',
      '\t\tOS.delay_msec(20)',
      '\treturn text',
      '',
    ].join('\n'));
    // The step budget, with time to spare, so that a slow machine cannot turn it into a timeout.
    const spinning = await serve(file, records, { stepsPerCall: 200_000, wallTimeMs: 20_000 });
    try {
      const client = await connect(spinning.address().port);
      client.send('spin');
      assert.ok(await nothingWithin(client, 300));
      assert.equal(await ask(client, 'after spin'), 'after spin');
      await client.close();
    } finally {
      await spinning.stop();
    }
    const [spin] = errorsOf(records);
    assert.equal(errorsOf(records).length, 1, JSON.stringify(errorsOf(records)));
    assert.match(String(spin.message), /handle\(\) was stopped after 200,000 steps \(--script-steps\): a loop here does not end; no answer was sent\./);
    assert.ok([6, 7].includes(spin.line as number), String(spin.line));
    assert.match((spin.lines as string[])[1], /at: handle \(res:\/\/loops\.gd:[67]\)/);

    records.length = 0;
    const sleeping = await serve(file, records, { wallTimeMs: 300 });
    try {
      const client = await connect(sleeping.address().port);
      const started = Date.now();
      client.send('sleep');
      assert.equal(await ask(client, 'after sleep'), 'after sleep'); // queued behind the stopped call
      assert.ok(Date.now() - started < 4000, 'the 5 s sleep was cut short');
      assert.equal(await ask(client, 'nap'), 'nap'); // a short sleep is fine
      await client.close();
    } finally {
      await sleeping.stop();
    }
    const errors = errorsOf(records);
    assert.equal(errors.length, 1, JSON.stringify(errors));
    assert.match(String(errors[0].message), /handle\(\) was stopped after \d+ ms \(--script-timeout 300 ms\)/);
    assert.equal(errors[0].line, 9);
  });

  it('a handle() that awaits a timer answers once it returns; an await past --script-timeout answers nothing', { timeout: 20_000 }, async () => {
    const records: Record<string, unknown>[] = [];
    const file = scriptFile('awaits.gd', [
      'extends Node',
      'func handle(packet: PackedByteArray, session: Dictionary):',
      '\tvar seconds := 0.05 if packet.size() < 5 else 5.0',
      '\tawait get_tree().create_timer(seconds).timeout',
      '\treturn "later: " + packet.get_string_from_utf8()',
      '',
    ].join('\n'));
    const server = await serve(file, records, { wallTimeMs: 400 });
    try {
      const client = await connect(server.address().port);
      const started = Date.now();
      assert.equal(await ask(client, 'hi'), 'later: hi');
      assert.ok(Date.now() - started >= 45, 'the answer waited for the timer');
      client.send('too slow');
      assert.equal(await ask(client, 'ok'), 'later: ok');
      await client.close();
    } finally {
      await server.stop();
    }
    const errors = errorsOf(records);
    assert.equal(errors.length, 1, JSON.stringify(errors));
    assert.match(String(errors[0].message), /handle\(\) was stopped after \d+ ms \(--script-timeout 400 ms\)/);
    assert.match((errors[0].lines as string[])[1], /at: handle \(res:\/\/awaits\.gd:2\)/);
  });

  it('past the heap limit after a call, that session is closed (script-heap-limit) and its data dropped', { timeout: 20_000 }, async () => {
    const records: Record<string, unknown>[] = [];
    const file = scriptFile('heap.gd', 'extends RefCounted\nfunc handle(packet, session):\n\tsession.data["kept"] = packet\n\treturn packet\n');
    // A limit below what the process already uses: the first call is over it.
    const server = await serve(file, records, { maxHeapBytes: 1024 });
    try {
      const client = await connect(server.address().port);
      assert.equal(await ask(client, 'big'), 'big');
      const deadline = Date.now() + 3000;
      while (!records.some((r) => r.event === 'session-end') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      const end = records.find((r) => r.event === 'session-end');
      assert.equal(end?.reason, 'script-heap-limit', JSON.stringify(records));
      assert.match(String(errorsOf(records)[0]?.message), /after this call the heap holds more than 1024 bytes \(--script-max-heap\): the session is closed and its data dropped/);
      await client.close();
    } finally {
      await server.stop();
    }
  });

  it('a script that does not parse stops the start with file:line:column (exit 1, nothing listens)', async () => {
    const file = scriptFile('broken.gd', 'extends RefCounted\nfunc handle(packet, session):\n\treturn packet +\n');
    assert.throws(() => ScriptHandler.load(file, { log: () => undefined }), (e: unknown) => e instanceof ScriptLoadError && /broken\.gd:3:\d+: error: /.test(e.lines[0]));
    const err: string[] = [];
    let listened = false;
    const code = await echoCommand(['--port', '0', '--config-dir', dir, '--script', file], {
      out: () => undefined,
      err: (t) => err.push(t),
      onListening: () => (listened = true),
      stopSignal: new Promise(() => undefined),
    });
    assert.equal(code, 1);
    assert.equal(listened, false);
    assert.match(err[0], new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:\\d+: error: `));
    assert.match(err.join('\n'), /the script does not load; the server did not start/);
  });

  it('a script without handle(), or with a handle() of the wrong shape, does not load', () => {
    const none = scriptFile('none.gd', 'extends RefCounted\nfunc answer(packet):\n\treturn packet\n');
    assert.throws(() => ScriptHandler.load(none, { log: () => undefined }), /none\.gd:1:1: error: the script has no "func handle\(packet: PackedByteArray, session: Dictionary\)"/);
    const one = scriptFile('one.gd', 'extends RefCounted\nfunc handle(packet):\n\treturn packet\n');
    assert.throws(() => ScriptHandler.load(one, { log: () => undefined }), /one\.gd:2:6: error: handle\(\) takes two parameters/);
    const init = scriptFile('init.gd', 'extends RefCounted\nvar table = {}\nfunc _init():\n\ttable.nothing.call()\nfunc handle(p, s):\n\treturn p\n');
    assert.throws(() => ScriptHandler.load(init, { log: () => undefined }), /at: _init \(res:\/\/init\.gd:4\)/);
  });

  it('the echo command runs a script end to end and logs its prints and errors as JSON lines', { timeout: 20_000 }, async () => {
    const file = scriptFile('json.gd', 'extends RefCounted\nfunc handle(packet, session):\n\tprint("got ", packet.size())\n\tif packet.size() == 1:\n\t\treturn 42\n\treturn packet\n');
    const out: string[] = [];
    const err: string[] = [];
    let port = 0;
    let stop: (why: string) => void = () => undefined;
    const code = echoCommand(['--port', '0', '--config-dir', dir, '--ecdsa', '--script', file, '--json-log'], {
      out: (t) => out.push(t),
      err: (t) => err.push(t),
      onListening: (server) => (port = server.address().port),
      stopSignal: new Promise((resolve) => (stop = resolve)),
    });
    const deadline = Date.now() + 5000;
    while (port === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    const client = await connectDtlsUdp('127.0.0.1', port, { serverName: 'localhost', verify: { mode: 'none' } });
    assert.equal(await ask(client, 'abc'), 'abc');
    client.send('x');
    assert.ok(await nothingWithin(client, 300));
    await client.close();
    stop('SIGTERM');
    assert.equal(await code, 0);
    const records = out.map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(records.filter((r) => r.event === 'handler-print').map((r) => r.text), ['got 3', 'got 1']);
    const [error] = records.filter((r) => r.event === 'handler-error');
    assert.match(String(error.message), /handle\(\) returned a value of type int: return a PackedByteArray, a String, an Array of them, or null/);
    assert.match(err.join('\n'), /script .*json\.gd mode/);
  });
});
