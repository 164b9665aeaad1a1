/** What the map's shapes and line styles mean; with `compare`, what its change marks mean too. */
export function MapLegend({ compare = false }: { compare?: boolean }) {
  const item = (swatch: React.ReactNode, text: string) => (
    <span className="flex items-center gap-1">
      {swatch}
      {text}
    </span>
  );
  return (
    <div className="flex flex-wrap items-center gap-3" data-testid="map-legend">
      {item(<span className="inline-block h-0.5 w-5 bg-muted" />, 'traffic')}
      {item(<span className="inline-block w-5 border-t-2 border-dashed border-danger" />, 'drops')}
      {item(<span className="inline-block h-0.5 w-5 bg-warn" />, 'failed connects')}
      {item(<span className="inline-block w-5 border-t-2 border-dotted border-muted" />, 'DNS')}
      {item(<span className="inline-block h-2.5 w-2.5 rotate-45 border-2 border-[#bc8cff]" />, 'world')}
      {item(<span className="inline-block h-2.5 w-2.5 border-4 border-double border-muted" />, 'host')}
      {compare && (
        <>
          <span className="text-muted">· compared:</span>
          {item(<span className="inline-block h-1.5 w-5 rounded bg-ok/50 ring-2 ring-ok/40" />, 'new')}
          {item(
            <span className="inline-block w-5 border-t-2 border-dotted border-muted opacity-50" />,
            'vanished',
          )}
          {item(
            <span className="inline-block h-1.5 w-5 rounded bg-[#db61a2]/70" />,
            'drops / failures / DNS errors rose',
          )}
        </>
      )}
    </div>
  );
}
