import { useDns, useTimeseries } from '../api/queries.js';
import { useUrl } from '../app/UrlContext.js';
import { BarList } from '../components/BarList/BarList.js';
import { ErrorState } from '../components/ErrorState/ErrorState.js';
import { Loading } from '../components/Loading/Loading.js';
import { Name } from '../components/Name/Name.js';
import { Panel } from '../components/Panel/Panel.js';
import { QueryChart } from '../components/QueryChart/QueryChart.js';
import { useWindowWords } from '../components/WindowWords/useWindowWords.js';
import { formatCount, formatLatency, formatPercent, formatRate } from '../domain/format.js';

export default function DnsView() {
  const { state } = useUrl();
  const dns = useDns(state);
  const latency = useTimeseries(state, 'dns_latency', 'quantile');
  const errors = useTimeseries(state, 'dns_errors', 'rcode');
  const over = useWindowWords(dns.data);
  return (
    <div className="grid gap-4 lg:grid-cols-2" data-testid="dns-view">
      <Panel title={`DNS latency p50 / p95 / p99, ${over.range}`} testId="dns-latency-chart">
        <QueryChart query={latency} what="DNS latency" format={formatLatency} />
      </Panel>
      <Panel title={`DNS errors by response code (per second), ${over.range}`}>
        <QueryChart query={errors} what="DNS errors" format={formatRate} />
      </Panel>
      {dns.isPending ? (
        <Loading label="DNS" />
      ) : !dns.data ? (
        <ErrorState error={dns.error} what="DNS" onRetry={() => dns.refetch()} />
      ) : (
        <>
          <Panel title={`Response codes, ${over.window}`} testId="dns-rcodes">
            <p className="tabular mb-2 text-sm">
              {formatCount(dns.data.queries)} queries, {formatCount(dns.data.errors)} errors (
              {formatPercent(dns.data.queries > 0 ? dns.data.errors / dns.data.queries : 0)}) · p50{' '}
              {formatLatency(dns.data.p50Ms)} · p95 {formatLatency(dns.data.p95Ms)} · p99{' '}
              {formatLatency(dns.data.p99Ms)}
            </p>
            <BarList
              empty="No DNS answers in this window."
              items={Object.entries(dns.data.rcodes)
                .sort((a, b) => b[1] - a[1])
                .map(([rcode, n]) => ({
                  key: rcode,
                  label: rcode,
                  value: n,
                  display: formatCount(n),
                  tone: rcode === 'NOERROR' ? 'accent' : 'danger',
                }))}
            />
          </Panel>
          <Panel title={`Top failing names, ${over.window}`} testId="dns-failing">
            {dns.data.topFailing.length === 0 ? (
              <p className="text-sm text-muted">Every query in this window was answered.</p>
            ) : (
              <table className="tabular w-full table-fixed text-left text-sm">
                <thead className="text-xs text-muted">
                  <tr>
                    <th className="w-[60%] px-1">Name</th>
                    <th className="px-1">Code</th>
                    <th className="px-1 text-right">Count</th>
                  </tr>
                </thead>
                <tbody>
                  {dns.data.topFailing.map((f) => (
                    <tr key={`${f.qname}|${f.rcode}`} className="border-t border-line">
                      <td className="px-1">
                        <Name value={f.qname} max={60} />
                      </td>
                      <td className="px-1 font-semibold text-danger">
                        <Name value={f.rcode} max={16} />
                      </td>
                      <td className="px-1 text-right">{formatCount(f.count)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Panel>
          <Panel title={`Clients, ${over.window}`} className="lg:col-span-2">
            {dns.data.clients.length === 0 ? (
              <p className="text-sm text-muted">No pod sent a DNS query in this window.</p>
            ) : (
              <div className="max-h-96 overflow-auto">
                <table className="tabular w-full table-fixed text-left text-sm">
                  <thead className="sticky top-0 bg-panel text-xs text-muted">
                    <tr>
                      <th className="w-[30%] px-1">Pod</th>
                      <th className="px-1 text-right">Queries</th>
                      <th className="px-1 text-right">Error rate</th>
                      <th className="px-1 text-right">p50</th>
                      <th className="px-1 text-right">p95</th>
                      <th className="px-1 text-right">p99</th>
                      <th className="w-[25%] px-1">Failing</th>
                    </tr>
                  </thead>
                  <tbody>
                    {dns.data.clients.map((c) => (
                      <tr key={`${c.namespace}/${c.pod}`} className="border-t border-line">
                        <td className="px-1">
                          <Name value={`${c.namespace}/${c.pod}`} />
                        </td>
                        <td className="px-1 text-right">{formatCount(c.queries)}</td>
                        <td className={`px-1 text-right ${c.errorRate > 0.05 ? 'text-danger' : ''}`}>
                          {formatPercent(c.errorRate)}
                        </td>
                        <td className="px-1 text-right">{formatLatency(c.p50Ms)}</td>
                        <td className="px-1 text-right">{formatLatency(c.p95Ms)}</td>
                        <td className="px-1 text-right">{formatLatency(c.p99Ms)}</td>
                        <td className="px-1">
                          {/* Name and code shortened apart: one string cut in the middle paired a
                              name with the next name's code. */}
                          {c.topFailing[0] && (
                            <span
                              className="flex min-w-0 items-baseline gap-1"
                              title={c.topFailing.map((f) => `${f.qname} ${f.rcode} (${f.count})`).join('\n')}
                            >
                              <Name value={c.topFailing[0].qname} max={32} className="min-w-0" />
                              <Name value={c.topFailing[0].rcode} max={12} className="shrink-0 text-danger" />
                              {c.topFailing.length > 1 && (
                                <span className="shrink-0 text-xs text-muted">
                                  +{c.topFailing.length - 1}
                                </span>
                              )}
                            </span>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </Panel>
        </>
      )}
    </div>
  );
}
