// `dtls-lab echo`: a DTLS 1.2 echo server that real Godot games (and openssl/gnutls) connect to.
// Prints its certificate's fingerprint, a Godot 4 client snippet pinned to that certificate and
// the matching openssl/gnutls command lines; runs until Ctrl-C / SIGTERM or --duration.

import { isIPv6 } from 'node:net';
import { keyLogFile } from '../dtls/key-log';
import { DEFAULT_PCAP_MAX_BYTES, EchoCapture } from '../echo/capture';
import { CertificateError, defaultConfigDir, loadOrCreateCertificate, type StoredCertificate } from '../echo/certificate-store';
import { EchoServer, PortInUseError, type EchoServerOptions } from '../echo/echo-server';
import { gnutlsClientCommand, godot4ClientSnippet, opensslClientCommand } from '../echo/godot-snippet';
import { DEFAULT_SCRIPT_HANDLER_LIMITS, ScriptHandler, ScriptLoadError } from '../echo/script-handler';

export const ECHO_USAGE = `  dtls-lab echo [--port N] [--host H] [--next-free-port] [--uppercase] [--json-log] ...
      A DTLS 1.2 echo server (default 127.0.0.1:4242) for Godot games, openssl and gnutls clients.
      Prints the certificate fingerprint, a Godot 4 client snippet and an openssl command.
      --port N (0: any free port)   --host H   --allow-remote (needed for a non-loopback --host)
      --next-free-port              --config-dir DIR (default $XDG_CONFIG_HOME/godot-dtls-lab)
      --ecdsa (P-256 instead of RSA-2048)       --cert FILE --key FILE (your own)
      --uppercase   --loss P (0..1) --delay MS (applied to what the server sends)
      --idle-timeout S (60)  --duration S  --json-log (one JSON line per event on stdout)
      --stats-interval S (print the live counters every S seconds; default off)
      --max-sessions N (4096) --max-per-source N (256) --hello-rate N/s (50) --hello-burst N (100)
      --max-queue-bytes N (65536)
      --keylog FILE (append SSLKEYLOGFILE lines of every session, for Wireshark)
      --pcap FILE (every datagram in and out, pcapng, written on stop) --pcap-max-bytes N (64 MiB)
      --script FILE.gd (answer with the script's handle(packet, session) instead of echoing)
      --script-steps N (1000000) --script-timeout MS (1000) --script-max-heap MB (512)`;

export const ECHO_HELP = `Usage:
${ECHO_USAGE}

Script handlers (--script FILE.gd): the server calls, in the sandbox that runs snippets,
  func handle(packet: PackedByteArray, session: Dictionary) -> Variant
for every packet a client sends; the returned PackedByteArray or String is sent back (an Array of
them sends several packets, null sends nothing). Optional: func _on_session_started(session)
(its return value is sent the same way) and func _on_session_closed(session). "session" is the
same Dictionary on every call of a session: id, address, port, suite, packets (received so far)
and data (a Dictionary for the script's own state); "reason" in _on_session_closed. One call runs
at a time; a call that errs, runs more than --script-steps steps or --script-timeout ms answers
nothing and is logged as "SCRIPT ERROR: … at: handle (res://FILE.gd:LINE)"; the server goes on.
A syntax error in FILE.gd stops the start with FILE:LINE:COLUMN (exit code 1).
Example: examples/echo-handler.gd`;

export interface EchoIo {
  out(text: string): void;
  err(text: string): void;
  env?: NodeJS.ProcessEnv;
  /** Resolves when the user asks to stop (default: SIGINT or SIGTERM). */
  stopSignal?: Promise<string>;
  /** Called once the server listens (tests). */
  onListening?(server: EchoServer): void;
}

export class EchoUsageError extends Error {}

export interface EchoArguments {
  host: string;
  port: number;
  allowRemote: boolean;
  nextFreePort: boolean;
  configDir?: string;
  ecdsa: boolean;
  cert?: string;
  key?: string;
  uppercase: boolean;
  loss: number;
  delayMs: number;
  idleTimeoutS: number;
  durationS?: number;
  /** Seconds between two `stats` records (live counters); undefined: none. */
  statsIntervalS?: number;
  jsonLog: boolean;
  maxSessions: number;
  maxPerSource: number;
  helloRate: number;
  helloBurst: number;
  maxQueueBytes: number;
  keylog?: string;
  pcap?: string;
  pcapMaxBytes: number;
  script?: string;
  scriptSteps: number;
  scriptTimeoutMs: number;
  scriptMaxHeapMb: number;
}

export function parseEchoArguments(argv: string[]): EchoArguments {
  const args: EchoArguments = {
    host: '127.0.0.1',
    port: 4242,
    allowRemote: false,
    nextFreePort: false,
    ecdsa: false,
    uppercase: false,
    loss: 0,
    delayMs: 0,
    idleTimeoutS: 60,
    jsonLog: false,
    maxSessions: 4096,
    maxPerSource: 256,
    helloRate: 50,
    helloBurst: 100,
    maxQueueBytes: 65536,
    pcapMaxBytes: DEFAULT_PCAP_MAX_BYTES,
    scriptSteps: DEFAULT_SCRIPT_HANDLER_LIMITS.stepsPerCall,
    scriptTimeoutMs: DEFAULT_SCRIPT_HANDLER_LIMITS.wallTimeMs,
    scriptMaxHeapMb: DEFAULT_SCRIPT_HANDLER_LIMITS.maxHeapBytes / (1024 * 1024),
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new EchoUsageError(`${arg} needs a value.`);
      return v;
    };
    const number = (min: number, max = Infinity, integer = false): number => {
      const raw = value();
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
        throw new EchoUsageError(`${arg} needs ${integer ? 'an integer' : 'a number'} ${max === Infinity ? `>= ${min}` : `from ${min} to ${max}`}, not "${raw}".`);
      }
      return n;
    };
    switch (arg) {
      case '--port': args.port = number(0, 65535, true); break;
      case '--host': args.host = value(); break;
      case '--allow-remote': args.allowRemote = true; break;
      case '--next-free-port': args.nextFreePort = true; break;
      case '--config-dir': args.configDir = value(); break;
      case '--ecdsa': args.ecdsa = true; break;
      case '--cert': args.cert = value(); break;
      case '--key': args.key = value(); break;
      case '--uppercase': args.uppercase = true; break;
      case '--loss': args.loss = number(0, 1); break;
      case '--delay': args.delayMs = number(0, 60_000); break;
      case '--idle-timeout': args.idleTimeoutS = number(0.01); break;
      case '--duration': args.durationS = number(0.01); break;
      case '--stats-interval': args.statsIntervalS = number(0.05, 3600); break;
      case '--json-log': args.jsonLog = true; break;
      case '--max-sessions': args.maxSessions = number(1, Infinity, true); break;
      case '--max-per-source': args.maxPerSource = number(1, Infinity, true); break;
      case '--hello-rate': args.helloRate = number(0.001); break;
      case '--hello-burst': args.helloBurst = number(1); break;
      case '--max-queue-bytes': args.maxQueueBytes = number(0, Infinity, true); break;
      case '--keylog': args.keylog = value(); break;
      case '--pcap': args.pcap = value(); break;
      case '--pcap-max-bytes': args.pcapMaxBytes = number(1024, Infinity, true); break;
      case '--script': args.script = value(); break;
      case '--script-steps': args.scriptSteps = number(1000, Infinity, true); break;
      case '--script-timeout': args.scriptTimeoutMs = number(1); break;
      case '--script-max-heap': args.scriptMaxHeapMb = number(16); break;
      default:
        throw new EchoUsageError(arg.startsWith('-') ? `Unknown echo option "${arg}".` : `Unexpected argument "${arg}".`);
    }
  }
  if ((args.cert === undefined) !== (args.key === undefined)) throw new EchoUsageError('--cert and --key go together.');
  if (args.uppercase && args.script !== undefined) throw new EchoUsageError('--uppercase and --script do not go together: the script decides the answers.');
  if (args.ecdsa && args.cert) throw new EchoUsageError('--ecdsa generates a certificate; it does not go with --cert/--key.');
  if (!isLoopback(args.host) && !args.allowRemote) {
    throw new EchoUsageError(`--host ${args.host} is not a loopback address: add --allow-remote to accept clients from other machines.`);
  }
  return args;
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

function describeCertificate(cert: StoredCertificate): string {
  const kind = cert.keyType === 'rsa' ? 'RSA-2048' : 'ECDSA P-256';
  return `${cert.certPath} (${cert.created ? 'generated now' : 'reused'}; ${kind}; CN localhost, SAN DNS:localhost IP:127.0.0.1)`;
}

function defaultStopSignal(): { promise: Promise<string>; dispose(): void } {
  let dispose = () => undefined as void;
  const promise = new Promise<string>((resolve) => {
    const onInt = () => resolve('SIGINT');
    const onTerm = () => resolve('SIGTERM');
    process.once('SIGINT', onInt);
    process.once('SIGTERM', onTerm);
    dispose = () => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
    };
  });
  return { promise, dispose: () => dispose() };
}

/** Runs the echo command; resolves to the exit code once the server has stopped. */
export async function echoCommand(argv: string[], io: EchoIo): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(ECHO_HELP);
    return 0;
  }
  let args: EchoArguments;
  try {
    args = parseEchoArguments(argv);
  } catch (error) {
    if (error instanceof EchoUsageError) {
      io.err(`dtls-lab echo: ${error.message}\n\n${ECHO_USAGE}`);
      return 2;
    }
    throw error;
  }
  // Listen for Ctrl-C / SIGTERM from the start, so that a signal during start-up also stops cleanly.
  const signal = io.stopSignal ? { promise: io.stopSignal, dispose: () => undefined } : defaultStopSignal();
  try {
    return await runEcho(args, io, signal.promise);
  } finally {
    signal.dispose();
  }
}

async function runEcho(args: EchoArguments, io: EchoIo, stopSignal: Promise<string>): Promise<number> {
  // With --json-log, stdout carries only JSON lines; the human text goes to stderr.
  const say = args.jsonLog ? io.err : io.out;
  const json = (record: Record<string, unknown>) => io.out(JSON.stringify(record));

  // The script first: a script that does not load stops the start before anything listens.
  let handler: ScriptHandler | undefined;
  if (args.script !== undefined) {
    try {
      handler = ScriptHandler.load(args.script, {
        limits: { stepsPerCall: args.scriptSteps, wallTimeMs: args.scriptTimeoutMs, maxHeapBytes: args.scriptMaxHeapMb * 1024 * 1024 },
        log: args.jsonLog ? (record) => json({ time: new Date().toISOString(), ...record }) : (record) => humanLog(record, say, io.err),
      });
    } catch (error) {
      if (!(error instanceof ScriptLoadError)) throw error;
      for (const line of error.lines) io.err(line);
      io.err(`dtls-lab echo: ${args.script}: the script does not load; the server did not start.`);
      return 1;
    }
  }

  let cert: StoredCertificate;
  const configDir = args.configDir ?? defaultConfigDir(io.env ?? process.env);
  try {
    cert = loadOrCreateCertificate({
      configDir,
      keyType: args.ecdsa ? 'ecdsa' : 'rsa',
      ...(args.cert !== undefined && args.key !== undefined ? { certPath: args.cert, keyPath: args.key } : {}),
    });
  } catch (error) {
    if (error instanceof CertificateError || (error as NodeJS.ErrnoException).code !== undefined) {
      io.err(`dtls-lab echo: ${(error as Error).message}`);
      return 1;
    }
    throw error;
  }

  if (!isLoopback(args.host)) {
    io.err(`dtls-lab echo: WARNING: listening on ${args.host}, reachable from other machines. Anyone who can reach this port can use the echo server.`);
  }
  const options: EchoServerOptions = {
    host: args.host,
    port: args.port,
    certificatePem: cert.certificatePem,
    privateKeyPem: cert.privateKeyPem,
    mode: args.uppercase ? 'uppercase' : 'echo',
    lossRate: args.loss,
    delayMs: args.delayMs,
    idleTimeoutMs: args.idleTimeoutS * 1000,
    maxSessions: args.maxSessions,
    maxSessionsPerSource: args.maxPerSource,
    helloRatePerSecond: args.helloRate,
    helloBurst: args.helloBurst,
    maxQueuedBytesPerSession: args.maxQueueBytes,
    log: args.jsonLog ? json : (record) => humanLog(record, say, io.err),
    ...(handler ? { handler } : {}),
  };
  if (args.keylog !== undefined) {
    const append = keyLogFile(args.keylog);
    let failed = false;
    options.onKeyLog = (line) => {
      try {
        append(line);
      } catch (error) {
        if (!failed) io.err(`dtls-lab echo: cannot write the key log ${args.keylog}: ${(error as Error).message}`);
        failed = true;
      }
    };
  }
  let capture: EchoCapture | undefined;
  if (args.pcap !== undefined) {
    capture = new EchoCapture({
      maxBytes: args.pcapMaxBytes,
      onCapReached: (c) =>
        io.err(`dtls-lab echo: the capture reached --pcap-max-bytes ${c.maxBytes} after ${c.recorded} datagrams; later datagrams are not written to ${args.pcap} (raise --pcap-max-bytes to keep more)`),
    });
    options.capture = capture;
  }
  let server: EchoServer;
  try {
    server = args.nextFreePort ? await EchoServer.startOnNextFreePort(options) : await EchoServer.start(options);
  } catch (error) {
    if (error instanceof PortInUseError) {
      io.err(`dtls-lab echo: ${error.message} (another echo server or game server?). Stop it, pick another with --port N, or add --next-free-port.`);
      return 1;
    }
    io.err(`dtls-lab echo: cannot listen on ${args.host}:${args.port}: ${(error as Error).message}`);
    return 1;
  }
  const { address, port } = server.address();
  const shownHost = isIPv6(address) ? `[${address}]` : address;
  const clientHost = address === '0.0.0.0' || address === '::' ? '127.0.0.1' : address;
  const mode = args.script !== undefined ? `script ${args.script}` : args.uppercase ? 'uppercase' : 'echo';
  say(`DTLS 1.2 echo server (${mode} mode) listening on udp ${shownHost}:${port}`);
  say(`certificate: ${describeCertificate(cert)}`);
  say(`SHA-256 fingerprint: ${cert.fingerprint}`);
  if (args.loss > 0 || args.delayMs > 0) say(`impairment on what the server sends: loss ${args.loss}, delay ${args.delayMs} ms`);
  say('');
  say('Try it from a terminal:');
  say(`  ${opensslClientCommand(port, cert.certPath, clientHost)}`);
  say(`  ${gnutlsClientCommand(port, cert.certPath, clientHost)}`);
  say('');
  say('Godot 4 client (attach to a Node; it trusts exactly this certificate):');
  say('# ---8<---');
  say(godot4ClientSnippet({ certificatePem: cert.certificatePem, host: clientHost, port }).trimEnd());
  say('# ---8<---');
  if (args.keylog !== undefined) say(`key log (SSLKEYLOGFILE lines): ${args.keylog}`);
  if (args.pcap !== undefined) say(`capture: ${args.pcap} (pcapng, written on stop, at most ${args.pcapMaxBytes} bytes); decrypt with: tshark -r ${args.pcap} -d udp.port==${port},dtls${args.keylog !== undefined ? ` -o tls.keylog_file:${args.keylog}` : ''} -Y dtls.app_data -T fields -e data.data`);
  say(args.durationS !== undefined ? `Stops after ${args.durationS} s (or Ctrl-C).` : 'Ctrl-C stops the server.');
  io.onListening?.(server);

  // Live counters, so that a watcher (the extension's status bar) sees packets of open sessions.
  const statsTimer = args.statsIntervalS === undefined ? undefined : setInterval(() => {
    if (args.jsonLog) json({ time: new Date().toISOString(), event: 'stats', ...server.snapshot() });
    else say(`stats: ${server.sessionCount} open session(s); ${server.counters.describe().replace(/\n/g, '; ')}`);
  }, args.statsIntervalS * 1000);

  let durationTimer: NodeJS.Timeout | undefined;
  const duration = new Promise<string>((resolve) => {
    if (args.durationS !== undefined) durationTimer = setTimeout(() => resolve('duration'), args.durationS * 1000);
  });
  const why = await Promise.race([stopSignal, duration]);
  if (durationTimer) clearTimeout(durationTimer);
  if (statsTimer) clearInterval(statsTimer);
  await server.stop();
  say(`stopped (${why === 'duration' ? `--duration ${args.durationS} s` : why}); ${server.counters.describe().replace(/\n/g, '; ')}`);
  if (capture && args.pcap !== undefined) {
    try {
      capture.writeFile(args.pcap);
    } catch (error) {
      io.err(`dtls-lab echo: cannot write the capture ${args.pcap}: ${(error as Error).message}`);
      return 1;
    }
    const cap = capture.capReached ? `; cap of ${capture.maxBytes} bytes reached, ${capture.omitted} later datagrams not written (--pcap-max-bytes)` : '';
    const v6 = capture.unsupported > 0 ? `; ${capture.unsupported} non-IPv4 datagrams not written` : '';
    say(`capture: ${capture.recorded} datagrams written to ${args.pcap}${cap}${v6}`);
  }
  return 0;
}

function humanLog(record: Record<string, unknown>, say: (text: string) => void, err: (text: string) => void): void {
  switch (record.event) {
    case 'handler-print':
      say(`  ${record.address ?? 'script'}: ${record.text}`);
      break;
    case 'handler-error':
      err(`! script error${record.address ? ` (session ${record.address})` : ''}; the server goes on:`);
      for (const line of record.lines as string[]) err(`  ${line}`);
      break;
    case 'session-start':
      say(`+ ${record.address} handshaking`);
      break;
    case 'handshake':
      say(`  ${record.address} connected in ${record.handshakeMs} ms (${record.suite}, ${record.group})`);
      break;
    case 'session-end':
      say(
        `- ${record.address} ended (${record.reason}${record.failure ? `: ${record.failure}` : ''}) after ${record.durationMs} ms; ` +
          `${record.echoes} echoes, in ${record.packetsIn} pkts/${record.bytesIn} B, out ${record.packetsOut} pkts/${record.bytesOut} B`,
      );
      break;
    case 'error':
      say(`! internal error (counted, server goes on): ${record.message}`);
      break;
    default:
      break;
  }
}
