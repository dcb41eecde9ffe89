// Retransmission timer of RFC 6347 §4.2.4.1: starts at 1 s, doubles on every timeout up to a cap
// (60 s), and keeps its backed-off value until a flight gets through without a retransmission.

export class FlightTimer {
  private current: number;
  private deadline: number | undefined;
  private attemptsForFlight = 0;

  constructor(private readonly initialMs: number, private readonly maxMs: number) {
    this.current = initialMs;
  }

  /** Arms the timer for a newly sent flight; the value resets only if the previous flight needed no retransmission. */
  startFlight(now: number): void {
    if (this.attemptsForFlight === 0) this.current = this.initialMs;
    this.attemptsForFlight = 0;
    this.deadline = now + this.current;
  }

  stop(): void {
    this.deadline = undefined;
  }

  get nextDeadline(): number | undefined {
    return this.deadline;
  }

  /** The timer value: what it is armed with now, or will be armed with next. */
  get currentMs(): number {
    return this.current;
  }

  get attempts(): number {
    return this.attemptsForFlight;
  }

  isDue(now: number): boolean {
    return this.deadline !== undefined && now >= this.deadline;
  }

  /** The timer fired: double the value (capped), re-arm, count the attempt; returns the new value. */
  backOff(now: number): number {
    this.current = Math.min(this.current * 2, this.maxMs);
    this.attemptsForFlight += 1;
    this.deadline = now + this.current;
    return this.current;
  }
}
