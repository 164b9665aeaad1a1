import { useState } from 'react';

function current(): 'dark' | 'light' {
  return document.documentElement.classList.contains('light') ? 'light' : 'dark';
}

export function ThemeToggle() {
  const [theme, setTheme] = useState(current);
  const toggle = () => {
    const next = theme === 'dark' ? 'light' : 'dark';
    document.documentElement.classList.remove('dark', 'light');
    document.documentElement.classList.add(next);
    try {
      localStorage.setItem('weft-theme', next);
    } catch {
      // Private mode: the choice lasts for this page only.
    }
    setTheme(next);
    window.dispatchEvent(new Event('weft-theme'));
  };
  return (
    <button
      type="button"
      onClick={toggle}
      className="rounded border border-line px-2 py-1 text-xs hover:bg-panel-2"
      aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}
      title={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}
    >
      {theme === 'dark' ? '☾' : '☀'}
    </button>
  );
}
