// server/run-limits.ts alone: the `dtlsLab.limits` section → run limits, values out of bounds left
// out with a message, and package.json's settings agreeing with it and with the engine's defaults.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { DEFAULT_LIMITS } from '../../engine/sandbox/limits';
import { LIMIT_SETTINGS, limitSettingDefault, limitsFromSettings, type LimitSetting } from '../../server/run-limits';
import { ROOT } from './lsp-client';

test('each setting sets its engine limit; missing and null values are left out', () => {
  assert.deepEqual(limitsFromSettings({ steps: 50_000, timeoutMs: 2000, wallMs: 5000 }).limits, { stepsWithoutWaiting: 50_000, timeoutMs: 2000, wallTimeMs: 5000 });
  assert.deepEqual(limitsFromSettings({ steps: null }), { limits: {}, problems: [] });
  assert.deepEqual(limitsFromSettings(undefined), { limits: {}, problems: [] });
  assert.deepEqual(limitsFromSettings(null), { limits: {}, problems: [] });
});

test('values out of bounds, not whole or not numbers are left out and reported; so are unknown keys', () => {
  const { limits, problems } = limitsFromSettings({ steps: 9_999, timeoutMs: 1.5, wallMs: '5000', budget: 3 });
  assert.deepEqual(limits, {});
  assert.deepEqual(problems, [
    'dtlsLab.limits.steps = 9999 is not a whole number from 10000 to 1000000000; the default 2000000 applies.',
    'dtlsLab.limits.timeoutMs = 1.5 is not a whole number from 100 to 600000; the default 10000 applies.',
    'dtlsLab.limits.wallMs = "5000" is not a whole number from 1000 to 600000; the default 60000 applies.',
    'dtlsLab.limits.budget is not a setting (expected steps, timeoutMs, wallMs); ignored.',
  ]);
  assert.deepEqual(limitsFromSettings(7).problems, ['dtlsLab.limits is not an object; the default limits apply.']);
  assert.deepEqual(limitsFromSettings({ steps: 10_000, wallMs: 600_000 }).limits, { stepsWithoutWaiting: 10_000, wallTimeMs: 600_000 });
});

test('package.json declares every limit with the engine\'s default and the same bounds', () => {
  const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, { type: string; default: number; minimum: number; maximum: number }> } } };
  const declared = Object.keys(manifest.contributes.configuration.properties).filter((key) => key.startsWith('dtlsLab.limits.'));
  assert.deepEqual(declared.sort(), Object.keys(LIMIT_SETTINGS).map((name) => `dtlsLab.limits.${name}`).sort());
  for (const [name, setting] of Object.entries(LIMIT_SETTINGS)) {
    const property = manifest.contributes.configuration.properties[`dtlsLab.limits.${name}`];
    assert.equal(property.type, 'integer', name);
    assert.equal(property.default, DEFAULT_LIMITS[setting.limit], name);
    assert.equal(property.default, limitSettingDefault(name as LimitSetting), name);
    assert.deepEqual([property.minimum, property.maximum], [setting.min, setting.max], name);
  }
});
