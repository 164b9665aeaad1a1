import { durationInWords } from '@weft/protocol';
import { ENV_VARS, type ServerConfig } from '@weft/server';

type Thresholds = Pick<
  ServerConfig,
  'alertWindowS' | 'alertForS' | 'alertDropRate' | 'alertDnsFailureRatio' | 'alertTcpFailureRate'
>;

/**
 * The one line `weft start` prints about its alerts: which thresholds, and where they came from (the lab
 * profile, or WEFT_ALERT_* variables over it), so nobody mistakes the lab's for the seed's.
 */
export function alertThresholdsLine(c: Thresholds, env: NodeJS.ProcessEnv): string {
  const overridden = Object.entries(ENV_VARS)
    .filter(
      ([name, v]) => name.startsWith('WEFT_ALERT_') && v.key !== 'alertIntervalS' && env[name] !== undefined,
    )
    .map(([name]) => name);
  const pct = Math.round(c.alertDnsFailureRatio * 10_000) / 100;
  return (
    `alert thresholds (lab profile${overridden.length > 0 ? `, ${overridden.join(', ')} from the environment` : ''}; ` +
    `weft server keeps the seed's): drops > ${c.alertDropRate}/s, DNS failures > ${pct}%, ` +
    `failed TCP connects > ${c.alertTcpFailureRate}/s, over ${durationInWords(c.alertWindowS * 1000)} ` +
    `for ${durationInWords(c.alertForS * 1000)}`
  );
}
