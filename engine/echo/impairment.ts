// --loss P and --delay MS: what the echo server sends is dropped with probability P and delayed by
// MS milliseconds, so a client's retransmission and timeout handling can be tried against it.

export interface ImpairmentOptions {
  /** 0..1 */
  lossRate: number;
  delayMs: number;
  random?: () => number;
}

export class Impairment {
  private readonly random: () => number;

  constructor(readonly options: ImpairmentOptions) {
    if (!(options.lossRate >= 0 && options.lossRate <= 1)) throw new RangeError('loss must be between 0 and 1');
    if (!(options.delayMs >= 0)) throw new RangeError('delay must be >= 0');
    this.random = options.random ?? Math.random;
  }

  get active(): boolean {
    return this.options.lossRate > 0 || this.options.delayMs > 0;
  }

  /** true: drop this datagram. */
  shouldDrop(): boolean {
    return this.options.lossRate > 0 && this.random() < this.options.lossRate;
  }
}
