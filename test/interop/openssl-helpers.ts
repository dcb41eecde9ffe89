// Running `openssl s_server` / `s_client` as DTLS peers: ephemeral ports on 127.0.0.1, every child
// wrapped in `timeout` and killed by PID in cleanup, output collected for assertions. The generic
// parts live in peer-harness.ts (shared with the GnuTLS and Godot 3 tests).

import { PeerProcess } from './peer-harness';

export { freeUdpPort, TempDir } from './peer-harness';

export class OpensslProcess extends PeerProcess {
  constructor(args: string[], timeoutSeconds = 15) {
    super('openssl', args, { timeoutSeconds });
  }
}
