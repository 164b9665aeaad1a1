import type { ServerConfig } from '../config.js';

/** The seed article's three alert rules, with thresholds from the configuration. */
export type SeedRuleName = 'HighPacketDropRate' | 'HighDNSFailureRate' | 'HighTCPConnectionFailures';

export interface SeedRule {
  name: SeedRuleName;
  /** PromQL over the collector's metrics, exactly as the seed writes it (window and threshold filled in). */
  expr: string;
  threshold: number;
  forS: number;
  severity: 'warning' | 'critical';
  summary: string;
  description?: string;
}

/** `300` -> `5m`, `90` -> `90s`: PromQL durations. */
export function promDuration(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

export function seedRules(
  c: Pick<
    ServerConfig,
    'alertWindowS' | 'alertForS' | 'alertDropRate' | 'alertDnsFailureRatio' | 'alertTcpFailureRate'
  >,
): SeedRule[] {
  const w = promDuration(c.alertWindowS);
  const pct = Math.round(c.alertDnsFailureRatio * 10_000) / 100;
  return [
    {
      name: 'HighPacketDropRate',
      expr: `sum(rate(networkobservability_drop_count[${w}])) > ${c.alertDropRate}`,
      threshold: c.alertDropRate,
      forS: c.alertForS,
      severity: 'warning',
      summary: 'High packet drop rate detected',
      description: `Cluster is dropping more than ${c.alertDropRate} packets per second`,
    },
    {
      name: 'HighDNSFailureRate',
      expr:
        `sum(rate(networkobservability_dns_response_count{response_code!="NOERROR"}[${w}]))\n/\n` +
        `sum(rate(networkobservability_dns_response_count[${w}]))\n> ${c.alertDnsFailureRatio}`,
      threshold: c.alertDnsFailureRatio,
      forS: c.alertForS,
      severity: 'critical',
      summary: `DNS failure rate exceeds ${pct}%`,
    },
    {
      name: 'HighTCPConnectionFailures',
      expr: `sum(rate(networkobservability_tcp_connection_failed_total[${w}])) > ${c.alertTcpFailureRate}`,
      threshold: c.alertTcpFailureRate,
      forS: c.alertForS,
      severity: 'warning',
      summary: 'High rate of failed TCP connections',
    },
  ];
}
