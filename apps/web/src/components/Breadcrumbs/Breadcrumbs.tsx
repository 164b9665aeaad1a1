import { useUrl } from '../../app/UrlContext.js';
import { breadcrumbs } from '../../domain/focus.js';
import { Link } from '../Link/Link.js';
import { Name } from '../Name/Name.js';

export function Breadcrumbs() {
  const { state } = useUrl();
  const crumbs = breadcrumbs(state);
  return (
    <nav
      aria-label="Drill-down"
      data-testid="breadcrumbs"
      className="flex min-w-0 items-center gap-1 text-sm"
    >
      {crumbs.map((c, i) => (
        <span key={`${c.patch.level}|${c.patch.focus}`} className="flex min-w-0 items-center gap-1">
          {i > 0 && <span className="text-muted">/</span>}
          {c.current ? (
            <span aria-current="page" className="min-w-0 font-semibold">
              <Name value={c.label} max={40} />
            </span>
          ) : (
            <Link patch={c.patch} className="min-w-0 text-accent hover:underline">
              <Name value={c.label} max={40} />
            </Link>
          )}
        </span>
      ))}
    </nav>
  );
}
