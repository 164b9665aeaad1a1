import { type GraphResponse, scaleDecimal } from '@weft/protocol';

/**
 * Text for a Mermaid label. Mermaid has no general escape, but inside a quoted label it decodes
 * `#name;` / `#<code>;` entities, so anything that could end the label or start markup becomes one.
 */
export function mermaidText(s: string): string {
  let out = '';
  for (const ch of s.replace(/[\r\n\t]+/g, ' ').slice(0, 200)) {
    if (/[A-Za-z0-9 ._:/@+=,-]/.test(ch)) out += ch;
    else out += `#${ch.codePointAt(0)};`;
  }
  return out;
}

/** `15MB/s`, `500KB/s` as the seed writes them: three significant figures, no space, upper-case K. */
export function formatRate(bytesPerSec: number): string {
  const { text, prefix } = scaleDecimal(bytesPerSec < 1000 ? Math.round(bytesPerSec) : bytesPerSec);
  return `${text}${prefix.toUpperCase()}B/s`;
}

function portsLabel(ports: { port: number; proto: string }[]): string {
  const shown = ports.filter((p) => p.port > 0).slice(0, 3);
  return shown.map((p) => `${p.port}/${p.proto.toUpperCase()}`).join(', ');
}

/**
 * The traffic map as a Mermaid flowchart like the seed's: one subgraph per namespace, `-->` edges labelled
 * with service ports and rates, DNS drawn dotted from the resolver to its clients.
 */
export function mermaidMap(g: GraphResponse): string {
  const ids = new Map<string, string>();
  const id = (nodeId: string) => {
    let v = ids.get(nodeId);
    if (!v) {
      v = `n${ids.size + 1}`;
      ids.set(nodeId, v);
    }
    return v;
  };
  const lines = ['graph LR'];
  const byNs = new Map<string, typeof g.nodes>();
  for (const n of g.nodes) {
    const ns = n.kind === 'namespace' ? '' : n.namespace;
    const list = byNs.get(ns) ?? [];
    list.push(n);
    byNs.set(ns, list);
  }
  const nodeLine = (n: (typeof g.nodes)[number]) => {
    const label = n.kind === 'world' ? 'External' : n.label;
    return `${id(n.id)}["${mermaidText(label)}"]`;
  };
  let sub = 0;
  for (const [ns, nodes] of [...byNs.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (ns === '') {
      for (const n of nodes) lines.push(`    ${nodeLine(n)}`);
      continue;
    }
    sub++;
    lines.push(`    subgraph s${sub}["${mermaidText(ns)}"]`);
    for (const n of nodes) lines.push(`        ${nodeLine(n)}`);
    lines.push('    end');
  }
  for (const e of g.edges) {
    const dns = e.dnsQueries > 0 && e.ports.every((p) => p.port === 53);
    const ports = portsLabel(e.ports);
    const rate = e.bytesPerSec > 0 ? formatRate(e.bytesPerSec) : '';
    const label = mermaidText([ports, rate].filter(Boolean).join(' '));
    const arrow = label ? (dns ? `-.->|"${label}"|` : `-->|"${label}"|`) : dns ? '-.->' : '-->';
    // The seed draws DNS from the resolver to its clients.
    const [a, b] = dns ? [e.target, e.source] : [e.source, e.target];
    lines.push(`    ${id(a)} ${arrow} ${id(b)}`);
  }
  return `${lines.join('\n')}\n`;
}
