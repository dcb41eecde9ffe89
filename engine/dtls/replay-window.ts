// Anti-replay sliding window (RFC 6347 §4.1.2.6): 64 records wide, updated only after a record
// has been authenticated.

const WINDOW_SIZE = 64n;

export class ReplayWindow {
  private highest = -1n;
  /** Bit i set: record (highest - i) has been seen. */
  private bitmap = 0n;

  isReplay(sequence: number): boolean {
    const seq = BigInt(sequence);
    if (seq > this.highest) return false;
    const distance = this.highest - seq;
    if (distance >= WINDOW_SIZE) return true; // too old to tell: treat as replay
    return ((this.bitmap >> distance) & 1n) === 1n;
  }

  markReceived(sequence: number): void {
    const seq = BigInt(sequence);
    if (seq > this.highest) {
      const shift = this.highest < 0n ? WINDOW_SIZE : seq - this.highest;
      this.bitmap = shift >= WINDOW_SIZE ? 1n : ((this.bitmap << shift) | 1n) & ((1n << WINDOW_SIZE) - 1n);
      this.highest = seq;
    } else {
      const distance = this.highest - seq;
      if (distance < WINDOW_SIZE) this.bitmap |= 1n << distance;
    }
  }
}
