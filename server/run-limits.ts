// The `dtlsLab.limits.*` settings → the sandbox's run limits (engine/sandbox/limits.ts). The editor
// does not enforce a setting's minimum and maximum, so a value out of bounds is left out (the
// engine's default applies) and reported. A snippet's own `timeout=` still wins over `timeoutMs`.
import { DEFAULT_LIMITS, type RunLimits } from '../engine/sandbox/limits';

/** Each setting under `dtlsLab.limits`: the engine limit it sets, and its bounds (whole numbers). */
export const LIMIT_SETTINGS = {
  steps: { limit: 'stepsWithoutWaiting', min: 10_000, max: 1_000_000_000 },
  timeoutMs: { limit: 'timeoutMs', min: 100, max: 600_000 },
  wallMs: { limit: 'wallTimeMs', min: 1_000, max: 600_000 },
} as const satisfies Record<string, { limit: keyof RunLimits; min: number; max: number }>;

export type LimitSetting = keyof typeof LIMIT_SETTINGS;

/** The engine's default of each setting (package.json's defaults must match). */
export function limitSettingDefault(setting: LimitSetting): number {
  return DEFAULT_LIMITS[LIMIT_SETTINGS[setting].limit];
}

/**
 * The limits the `dtlsLab.limits` section sets (only those that differ from nothing: missing and
 * `null` values are left out), and one message per value left out because it is out of bounds.
 */
export function limitsFromSettings(section: unknown): { limits: Partial<RunLimits>; problems: string[] } {
  const limits: Partial<RunLimits> = {};
  const problems: string[] = [];
  if (section === null || section === undefined) return { limits, problems };
  if (typeof section !== 'object' || Array.isArray(section)) return { limits, problems: ['dtlsLab.limits is not an object; the default limits apply.'] };
  for (const [name, raw] of Object.entries(section)) {
    if (raw === null || raw === undefined) continue;
    const setting = LIMIT_SETTINGS[name as LimitSetting];
    if (!setting) {
      problems.push(`dtlsLab.limits.${name} is not a setting (expected ${Object.keys(LIMIT_SETTINGS).join(', ')}); ignored.`);
      continue;
    }
    if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < setting.min || raw > setting.max) {
      problems.push(`dtlsLab.limits.${name} = ${JSON.stringify(raw)} is not a whole number from ${setting.min} to ${setting.max}; ` +
        `the default ${limitSettingDefault(name as LimitSetting)} applies.`);
      continue;
    }
    limits[setting.limit] = raw;
  }
  return { limits, problems };
}
