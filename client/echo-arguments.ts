// The command line the extension starts the echo server with (`dtls-lab echo …`). Plain data, no
// `vscode`, so that the unit tests run the real CLI with exactly these arguments.

export interface EchoStartOptions {
  port: number;
  host: string;
  /** Where the echo server keeps its certificate (--config-dir). */
  configDir: string;
  /** Needed for a non-loopback host (--allow-remote). */
  allowRemote: boolean;
}

/** Seconds between the server's `stats` records: the status bar's packet count moves once a second. */
export const ECHO_STATS_INTERVAL_S = 1;

/** `echo --json-log --stats-interval 1 --config-dir DIR --port N --host H [--allow-remote]` */
export function echoArguments(options: EchoStartOptions): string[] {
  const args = ['echo', '--json-log', '--stats-interval', String(ECHO_STATS_INTERVAL_S), '--config-dir', options.configDir,
    '--port', String(options.port), '--host', options.host];
  if (options.allowRemote) args.push('--allow-remote');
  return args;
}
