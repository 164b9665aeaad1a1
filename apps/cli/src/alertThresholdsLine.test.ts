import { LAB_ALERT_PROFILE } from '@weft/lab';
import { DEFAULT_CONFIG, parseServerConfig } from '@weft/server';
import { describe, expect, it } from 'vitest';
import { alertThresholdsLine } from './alertThresholdsLine.js';

describe('alertThresholdsLine', () => {
  it('says the lab profile’s thresholds, and which variables replaced them', () => {
    const lab = parseServerConfig({}, LAB_ALERT_PROFILE);
    expect(alertThresholdsLine(lab, {})).toBe(
      "alert thresholds (lab profile; weft server keeps the seed's): drops > 0.5/s, DNS failures > 0.5%, failed TCP connects > 0.5/s, over 1 min for 1 min",
    );
    const env = { WEFT_ALERT_DROP_RATE: '5' };
    const mixed = parseServerConfig(env, LAB_ALERT_PROFILE);
    expect(alertThresholdsLine(mixed, env)).toMatch(
      /^alert thresholds \(lab profile, WEFT_ALERT_DROP_RATE from the environment; .*\): drops > 5\/s, DNS failures > 0\.5%/,
    );
    // The profile is the lab's only: the server's own defaults are still the seed's.
    expect(DEFAULT_CONFIG).toMatchObject({ alertDropRate: 100, alertDnsFailureRatio: 0.05, alertForS: 300 });
  });
});
