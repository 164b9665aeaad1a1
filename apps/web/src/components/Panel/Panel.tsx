import type { ReactNode } from 'react';

export function Panel({
  title,
  children,
  actions,
  testId,
  className,
}: {
  title: string;
  children: ReactNode;
  actions?: ReactNode;
  testId?: string;
  className?: string;
}) {
  return (
    <section
      data-testid={testId}
      aria-label={title}
      className={`min-w-0 rounded-lg border border-line bg-panel p-3 ${className ?? ''}`}
    >
      <header className="mb-2 flex items-center gap-2">
        <h2 className="flex-1 text-sm font-semibold">{title}</h2>
        {actions}
      </header>
      {children}
    </section>
  );
}
