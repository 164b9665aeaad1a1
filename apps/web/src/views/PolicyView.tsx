import { useMutation } from '@tanstack/react-query';
import { type ChangeEvent, useState } from 'react';
import { generateUrl, postWhatIf } from '../api/policyApi.js';
import { setLastWhatIf } from '../app/lastWhatIf.js';
import { useUrl } from '../app/UrlContext.js';
import { ErrorState } from '../components/ErrorState/ErrorState.js';
import { Link } from '../components/Link/Link.js';
import { Panel } from '../components/Panel/Panel.js';
import { WhatIfTable } from '../components/WhatIfTable/WhatIfTable.js';

/**
 * What a NetworkPolicy would do before anyone applies it: paste or upload YAML, and the connections of
 * the selected time it would deny (that today's policies allow) are listed, each with the policy that
 * would deny it and a link to it on the map. And the reverse: least-privilege policies for a namespace
 * (or a workload) from the traffic of the selected time, as a YAML download. The namespace and
 * workload are the shared filter's (in the URL); the YAML stays in the page.
 */
export default function PolicyView() {
  const { state, navigate } = useUrl();
  const [yaml, setYaml] = useState('');
  const whatIf = useMutation({
    mutationFn: (text: string) => postWhatIf(text, state),
    onSuccess: (answer) => setLastWhatIf(answer),
  });
  const namespace = state.namespace[0] ?? '';
  const workload = state.workload.startsWith(`${namespace}/`)
    ? state.workload.slice(namespace.length + 1)
    : '';

  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    if (file) setYaml(await file.text());
  };

  return (
    <div className="grid gap-4" data-testid="policy-view">
      <Panel title="What if: the observed connections a NetworkPolicy would deny" testId="whatif">
        <form
          className="grid gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            whatIf.mutate(yaml);
          }}
        >
          <label className="text-xs text-muted" htmlFor="whatif-yaml">
            NetworkPolicy YAML (one or many documents; a policy named as a current one replaces it)
          </label>
          <textarea
            id="whatif-yaml"
            data-testid="whatif-yaml"
            value={yaml}
            onChange={(e) => setYaml(e.target.value)}
            spellCheck={false}
            rows={12}
            className="w-full rounded border border-line bg-panel-2 p-2 font-mono text-xs"
            placeholder={'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n...'}
          />
          <div className="flex flex-wrap items-center gap-2">
            <button
              type="submit"
              disabled={yaml.trim() === '' || whatIf.isPending}
              data-testid="whatif-evaluate"
              className="rounded bg-accent px-3 py-1 text-sm font-semibold text-white disabled:opacity-50"
            >
              {whatIf.isPending ? 'Evaluating…' : 'Evaluate'}
            </button>
            <label className="cursor-pointer rounded border border-line px-2 py-1 text-xs hover:bg-panel-2">
              Upload a file
              <input type="file" accept=".yaml,.yml,text/yaml" className="sr-only" onChange={onFile} />
            </label>
            <span className="text-xs text-muted">
              over the selected time{namespace ? `, connections touching namespace ${namespace}` : ''}
            </span>
          </div>
        </form>
        {whatIf.error && <ErrorState error={whatIf.error} what="the what-if answer" />}
        {whatIf.data && (
          <>
            <WhatIfTable answer={whatIf.data} />
            {whatIf.data.flows.length > 0 && (
              <Link
                patch={{ view: 'map', focus: '' }}
                className="mt-2 inline-block text-sm text-accent hover:underline"
              >
                Show them on the map
              </Link>
            )}
          </>
        )}
      </Panel>

      <Panel title="Generate least-privilege NetworkPolicies from the observed traffic" testId="generate">
        <form className="flex flex-wrap items-end gap-2" onSubmit={(e) => e.preventDefault()}>
          <label className="grid text-xs text-muted">
            Namespace
            <input
              data-testid="generate-namespace"
              value={namespace}
              onChange={(e) =>
                navigate(
                  { namespace: e.target.value ? [e.target.value.trim()] : [], workload: '' },
                  // Typing is one step in the history, not one per key.
                  { replace: true },
                )
              }
              className="rounded border border-line bg-panel-2 px-2 py-1 text-sm text-fg"
            />
          </label>
          <label className="grid text-xs text-muted">
            Workload (optional)
            <input
              data-testid="generate-workload"
              value={workload}
              disabled={!namespace}
              onChange={(e) =>
                navigate(
                  { workload: e.target.value ? `${namespace}/${e.target.value.trim()}` : '' },
                  { replace: true },
                )
              }
              className="rounded border border-line bg-panel-2 px-2 py-1 text-sm text-fg"
            />
          </label>
          {namespace ? (
            <>
              <a
                href={generateUrl(namespace, workload, state)}
                download
                data-testid="generate-download"
                className="rounded bg-accent px-3 py-1 text-sm font-semibold text-white"
              >
                Download YAML
              </a>
              <a
                href={generateUrl(namespace, workload, state, 'json')}
                target="_blank"
                rel="noreferrer"
                className="text-xs text-accent hover:underline"
              >
                JSON
              </a>
            </>
          ) : (
            <span className="text-xs text-muted">Name a namespace to generate its policies.</span>
          )}
        </form>
        <p className="mt-2 text-xs text-muted">
          One policy per workload: ingress from the workloads seen calling it, egress to those it called and
          to DNS, on the ports used; addresses outside the cluster as /32 blocks. Connections refused or
          dropped throughout the selected time are left out.
        </p>
      </Panel>
    </div>
  );
}
