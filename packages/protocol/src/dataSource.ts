import { type Static, Type } from 'typebox';

/**
 * Where an answer came from: the server's own store, or PromQL over the collectors' metrics in a
 * Prometheus-compatible store (Prometheus, Thanos, Mimir, VictoriaMetrics, Azure Monitor).
 */
export const DATA_SOURCES = ['store', 'prometheus'] as const;
export type DataSource = (typeof DATA_SOURCES)[number];

/** What a request may ask for: one source, or `auto` (Prometheus only for what the store no longer holds). */
export const SOURCE_CHOICES = ['store', 'prometheus', 'auto'] as const;
export type SourceChoice = (typeof SOURCE_CHOICES)[number];

export const DataSourceSchema = Type.Union([Type.Literal('store'), Type.Literal('prometheus')]);

/**
 * Added to every answer that can come from either source: which one served it and, when the source
 * could not give all that was asked (a level finer than the collectors' metrics hold), why.
 */
export const SourceFields = {
  source: Type.Optional(DataSourceSchema),
  sourceNotice: Type.Optional(Type.String()),
};
export type SourceFields = { source?: Static<typeof DataSourceSchema>; sourceNotice?: string };
