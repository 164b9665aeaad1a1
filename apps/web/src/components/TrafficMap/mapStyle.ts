import type { StylesheetJson } from 'cytoscape';
import { ROSE_COLOR } from './drawScene.js';

/** Theme colours come from the CSS variables so the map follows the light/dark switch. */
export interface MapColors {
  fg: string;
  muted: string;
  bg: string;
  panel: string;
  panel2: string;
  line: string;
  accent: string;
  ok: string;
  warn: string;
  danger: string;
  nsBg: string;
}

/**
 * A CSS colour as cytoscape reads it: it rejects hex with alpha (`#rrggbbaa`, `#rgba`), which the
 * production build's CSS minifier makes of `rgba(...)` (the light theme's namespace tint became
 * `#0969da0d`, one console warning per style), so those become `rgba(...)`; anything else is kept.
 */
export function cytoscapeColor(css: string): string {
  const m = /^#([0-9a-f]{4}|[0-9a-f]{8})$/i.exec(css.trim());
  if (!m) return css;
  const hex = m[1]!.length === 4 ? [...m[1]!].map((d) => d + d).join('') : m[1]!;
  const [r, g, b, a] = [0, 2, 4, 6].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)) as [
    number,
    number,
    number,
    number,
  ];
  return `rgba(${r},${g},${b},${Math.round((a / 255) * 1000) / 1000})`;
}

export function readColors(el: Element = document.documentElement): MapColors {
  const cs = getComputedStyle(el);
  const v = (name: string, fallback: string) => cytoscapeColor(cs.getPropertyValue(name).trim() || fallback);
  return {
    fg: v('--weft-fg', '#e6edf3'),
    muted: v('--weft-muted', '#8b949e'),
    bg: v('--weft-bg', '#0d1117'),
    panel: v('--weft-panel', '#161b22'),
    panel2: v('--weft-panel-2', '#1f2630'),
    line: v('--weft-line', '#30363d'),
    accent: v('--weft-accent', '#58a6ff'),
    ok: v('--weft-ok', '#3fb950'),
    warn: v('--weft-warn', '#d29922'),
    danger: v('--weft-danger', '#f85149'),
    nsBg: v('--weft-ns-bg', 'rgba(88,166,255,0.06)'),
  };
}

/**
 * `large` trades looks for speed past a few thousand edges: straight haystack edges without labels
 * or arrows (labels come back in the side panel and on selection).
 */
export function mapStyle(c: MapColors, large: boolean, zoom = 1): StylesheetJson {
  return large ? largeStyle(c) : fullStyle(c, labelSizes(zoom));
}

/** The smallest text the map draws on screen, in CSS pixels. */
export const MIN_LABEL_PX = 11;
/** Below this zoom labels are not enlarged: they stay as the style sizes them, and fade out there. */
export const LABEL_ZOOM_FLOOR = 0.4;

export interface LabelSizes {
  node: number;
  edge: number;
  group: number;
}

/**
 * Label font sizes in map units for a view at `zoom` (the fitted one): each label's own size, or
 * larger so that it is MIN_LABEL_PX on screen. Zooming in from there makes text larger, zooming out
 * smaller until cytoscape stops drawing it (min-zoomed-font-size). Rounded so that nearby zooms
 * share one style.
 */
export function labelSizes(zoom: number): LabelSizes {
  const z = Math.max(LABEL_ZOOM_FLOOR, zoom);
  const size = (own: number) => Math.max(own, Math.ceil((MIN_LABEL_PX / z) * 2) / 2);
  return { node: size(11), edge: size(9), group: size(13) };
}

/**
 * Thousands of elements: few selectors (each one is matched against every element), no per-node
 * text (measuring 2,000 labels costs more than drawing the graph), namespace names kept.
 */
function largeStyle(c: MapColors): StylesheetJson {
  return [
    {
      selector: 'node',
      style: {
        width: 'data(size)',
        height: 'data(size)',
        'background-color': c.panel2,
        'border-width': 2,
        'border-color': c.accent,
      },
    },
    {
      selector: 'node.group',
      style: {
        shape: 'round-rectangle',
        label: 'data(label)',
        'font-size': 40,
        color: c.muted,
        'text-valign': 'top',
        'min-zoomed-font-size': 6,
        'background-color': c.nsBg,
        'border-width': 1,
        'border-color': c.line,
        padding: '24px',
      },
    },
    {
      selector: 'node.k-world',
      style: { shape: 'diamond', 'border-color': '#bc8cff', label: 'data(label)', color: c.fg },
    },
    { selector: 'node.has-drops', style: { 'border-color': c.danger, 'border-width': 4 } },
    {
      selector: 'edge',
      style: { width: 'data(width)', 'curve-style': 'haystack', 'haystack-radius': 0, 'line-color': c.line },
    },
    { selector: 'edge.h-failing', style: { 'line-color': c.warn } },
    { selector: 'edge.h-drops', style: { 'line-color': c.danger } },
    ...markStyle(c),
    {
      selector: ':selected',
      style: {
        'line-color': c.accent,
        'border-color': c.accent,
        label: 'data(label)',
        color: c.fg,
        'font-size': 14,
      },
    },
  ];
}

function fullStyle(c: MapColors, sizes: LabelSizes): StylesheetJson {
  return [
    {
      selector: 'node',
      style: {
        label: 'data(label)',
        'font-size': sizes.node,
        color: c.fg,
        'text-valign': 'bottom',
        'text-halign': 'center',
        'text-margin-y': 4,
        'text-wrap': 'none',
        'min-zoomed-font-size': 7,
        width: 'data(size)',
        height: 'data(size)',
        'background-color': c.panel2,
        'border-width': 2,
        'border-color': c.accent,
        shape: 'ellipse',
      },
    },
    {
      selector: 'node.k-namespace',
      style: {
        shape: 'round-rectangle',
        'background-color': c.panel2,
        'border-color': c.accent,
        'font-weight': 'bold',
      },
    },
    {
      selector: 'node.group',
      style: {
        shape: 'round-rectangle',
        'background-color': c.nsBg,
        'background-opacity': 1,
        'border-width': 1,
        'border-style': 'dashed',
        'border-color': c.line,
        'text-valign': 'top',
        'text-halign': 'center',
        'text-margin-y': -4,
        'font-size': sizes.group,
        'font-weight': 'bold',
        color: c.muted,
        padding: '24px',
      },
    },
    { selector: 'node.k-workload', style: { shape: 'round-rectangle', 'border-color': c.accent } },
    { selector: 'node.k-pod', style: { shape: 'ellipse', 'border-color': c.accent } },
    { selector: 'node.k-service', style: { shape: 'round-tag', 'border-color': c.accent } },
    { selector: 'node.k-node', style: { shape: 'barrel', 'border-color': c.ok } },
    {
      selector: 'node.k-world',
      style: {
        shape: 'diamond',
        'border-color': '#bc8cff',
        'background-color': c.panel,
        width: 40,
        height: 40,
      },
    },
    {
      selector: 'node.k-host',
      style: { shape: 'rectangle', 'border-color': c.muted, 'border-style': 'double', 'border-width': 4 },
    },
    {
      selector: 'node.k-others',
      style: { shape: 'round-rectangle', 'border-style': 'dashed', 'border-color': c.muted, color: c.muted },
    },
    { selector: 'node.dns', style: { shape: 'hexagon', 'border-color': '#39c5cf' } },
    { selector: 'node.hosts-dns', style: { 'border-color': '#39c5cf' } },
    { selector: 'node.has-drops', style: { 'border-color': c.danger, 'border-width': 3 } },
    {
      selector: 'edge',
      style: {
        width: 'data(width)',
        'curve-style': 'bezier',
        'line-color': c.muted,
        'target-arrow-shape': 'triangle',
        'target-arrow-color': c.muted,
        'arrow-scale': 0.8,
        label: 'data(label)',
        'font-size': sizes.edge,
        color: c.fg,
        'text-rotation': 'autorotate',
        'text-background-color': c.bg,
        'text-background-opacity': 0.85,
        'text-background-padding': '2px',
        'min-zoomed-font-size': 6,
      },
    },
    {
      selector: 'edge:loop',
      style: {
        'loop-direction': '-45deg',
        'loop-sweep': '-70deg',
        'control-point-step-size': 70,
        'text-rotation': 'none',
        'text-margin-y': -30,
        'text-margin-x': 30,
      },
    },
    { selector: 'edge.dns', style: { 'line-style': 'dotted' } },
    {
      selector: 'edge.h-failing',
      style: { 'line-color': c.warn, 'target-arrow-color': c.warn, opacity: 1 },
    },
    {
      selector: 'edge.h-drops',
      style: { 'line-color': c.danger, 'target-arrow-color': c.danger, 'line-style': 'dashed', opacity: 1 },
    },
    ...markStyle(c),
    {
      selector: 'edge:selected',
      style: {
        'line-color': c.accent,
        'target-arrow-color': c.accent,
        opacity: 1,
        label: 'data(label)',
        'z-index': 10,
      },
    },
    { selector: 'node:selected', style: { 'border-color': c.accent, 'border-width': 4 } },
    {
      selector: 'node.focus',
      style: {
        'border-color': c.accent,
        'border-width': 5,
        'background-color': c.accent,
        'font-weight': 'bold',
      },
    },
  ];
}

/**
 * Compare marks (changes.ts), the same as the canvas renderer draws them: a green halo for a new edge,
 * a magenta one for a rise in drops, failures or DNS errors (the line keeps its health colour), a
 * faint dotted ghost for a vanished one.
 */
function markStyle(c: MapColors): StylesheetJson {
  return [
    {
      selector: 'edge.c-new',
      style: { 'underlay-color': c.ok, 'underlay-padding': 4, 'underlay-opacity': 0.45 },
    },
    {
      selector: 'edge.c-rose',
      style: { 'underlay-color': ROSE_COLOR, 'underlay-padding': 2, 'underlay-opacity': 0.7 },
    },
    {
      selector: 'edge.c-vanished',
      style: {
        'line-style': 'dashed',
        'line-dash-pattern': [2, 5],
        'line-color': c.muted,
        'target-arrow-color': c.muted,
        opacity: 0.5,
      },
    },
  ];
}
