import { type FilterState, withFilter } from '@weft/protocol';
import type { MouseEvent, ReactNode } from 'react';
import { useUrl } from '../../app/UrlContext.js';
import { nextSearch } from '../../app/urlStore.js';

/**
 * An in-app link: a real href (open in new tab, copy link address work) that navigates with
 * pushState on a plain click.
 */
export function Link({
  patch,
  children,
  className,
  title,
  ariaCurrent,
}: {
  patch: Partial<FilterState>;
  children: ReactNode;
  className?: string;
  title?: string;
  ariaCurrent?: boolean;
}) {
  const { state, flows, map, navigate } = useUrl();
  // The view's own parameters too (the map's problems=1, say), as a click keeps them.
  const { search } = nextSearch({ flows, map }, withFilter(state, patch));
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(patch);
  };
  return (
    <a
      href={`?${search}`}
      onClick={onClick}
      className={className}
      title={title}
      aria-current={ariaCurrent ? 'page' : undefined}
    >
      {children}
    </a>
  );
}
