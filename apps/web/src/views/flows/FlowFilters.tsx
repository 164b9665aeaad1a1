import { useEffect, useState } from 'react';

/** A filter box that applies its text on Enter or when left, so typing does not send a search a key. */
function FilterInput({
  label,
  value,
  placeholder,
  width,
  onApply,
}: {
  label: string;
  value: string;
  placeholder: string;
  width: string;
  onApply: (v: string) => void;
}) {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  const apply = () => {
    if (text.trim() !== value) onApply(text.trim());
  };
  return (
    <input
      type="search"
      aria-label={label}
      value={text}
      placeholder={placeholder}
      onChange={(e) => setText(e.target.value)}
      onKeyDown={(e) => e.key === 'Enter' && apply()}
      onBlur={apply}
      className={`${width} rounded border border-line bg-panel-2 px-2 py-1 text-sm`}
    />
  );
}

export interface FlowFilterValues {
  q: string;
  ip: string;
  dns: string;
  node: string;
  service: string;
  dir: string;
  flags: string;
}

/** The search's filters that the shared filter bar has not: free text, address, DNS name, node, service, direction, TCP flags. */
export function FlowFilters({
  values,
  onChange,
}: {
  values: FlowFilterValues;
  onChange: (patch: Partial<FlowFilterValues>) => void;
}) {
  return (
    <div className="flex flex-wrap items-center gap-2" data-testid="flow-filters">
      <FilterInput
        label="Search flows"
        value={values.q}
        placeholder="Search: pod, IP, node, reason…"
        width="w-64"
        onApply={(q) => onChange({ q })}
      />
      <FilterInput
        label="IP or CIDR"
        value={values.ip}
        placeholder="IP or CIDR"
        width="w-36"
        onApply={(ip) => onChange({ ip })}
      />
      <FilterInput
        label="DNS name"
        value={values.dns}
        placeholder="DNS name"
        width="w-44"
        onApply={(dns) => onChange({ dns })}
      />
      <FilterInput
        label="Node"
        value={values.node}
        placeholder="node"
        width="w-32"
        onApply={(node) => onChange({ node })}
      />
      <FilterInput
        label="Service"
        value={values.service}
        placeholder="namespace/service"
        width="w-44"
        onApply={(service) => onChange({ service })}
      />
      <FilterInput
        label="TCP flags"
        value={values.flags}
        placeholder="flags: syn,rst"
        width="w-32"
        onApply={(flags) => onChange({ flags })}
      />
      <select
        aria-label="Direction"
        value={values.dir}
        onChange={(e) => onChange({ dir: e.target.value })}
        className="rounded border border-line bg-panel-2 px-1 py-1 text-sm"
      >
        <option value="">any direction</option>
        <option value="egress">egress</option>
        <option value="ingress">ingress</option>
      </select>
    </div>
  );
}
