// The bounds every run lives within, so that no snippet can hang the editor or the CLI.

export interface RunLimits {
  /** Steps one peer may run without suspending (poll(), OS.delay_msec(), ...) before it is stopped as a runaway loop. */
  stepsWithoutWaiting: number;
  /** Run time (virtual or wall) after which the run stops. */
  timeoutMs: number;
  /** Real time a run may take, whatever its clock says. */
  wallTimeMs: number;
  /** Time the run goes on after every client finished, so servers handle the last packets. */
  graceMs: number;
}

export const DEFAULT_LIMITS: RunLimits = {
  stepsWithoutWaiting: 2_000_000,
  timeoutMs: 10_000,
  wallTimeMs: 60_000,
  graceMs: 100,
};

/** Steps a peer runs before the scheduler gives another peer a turn. */
export const SLICE_STEPS = 10_000;

/** Virtual time one interpreter step costs, so that busy loops move the virtual clock. */
export const VIRTUAL_MS_PER_STEP = 0.001;

/** Godot's default frame rate: _process(delta) runs every 1/60 s. */
export const FRAME_MS = 1000 / 60;
