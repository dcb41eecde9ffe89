// Time that only moves when the scheduler moves it: runs on the virtual link are deterministic.

export class VirtualClock {
  private time = 0;

  now(): number {
    return this.time;
  }

  advanceTo(time: number): void {
    if (time > this.time) this.time = time;
  }
}
