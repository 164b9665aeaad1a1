import { useState } from 'react';
import { useUrlStore } from '../../app/UrlContext.js';

/** Copies the current view's URL; a pasted link reproduces the view on another machine. */
export function CopyLinkButton() {
  const store = useUrlStore();
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const copy = async () => {
    const href = store.href();
    try {
      await navigator.clipboard.writeText(href);
      setCopied('yes');
    } catch {
      // Clipboard needs a secure context; fall back to a prompt the user can copy from.
      window.prompt('Copy this link', href);
      setCopied('no');
    }
    setTimeout(() => setCopied(null), 1500);
  };
  return (
    <button
      type="button"
      onClick={copy}
      className="w-24 rounded border border-line px-2 py-1 text-xs hover:bg-panel-2"
      title="Copy a link to exactly this view"
    >
      {copied === 'yes' ? 'Copied' : 'Copy link'}
    </button>
  );
}
