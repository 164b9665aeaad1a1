// Runs before first paint (a blocking script in <head>), so the page never flashes the wrong theme.
(() => {
  let theme = 'dark';
  try {
    const saved = localStorage.getItem('weft-theme');
    if (saved === 'light' || (!saved && window.matchMedia('(prefers-color-scheme: light)').matches))
      theme = 'light';
  } catch {
    // Storage blocked: keep the default.
  }
  document.documentElement.classList.add(theme);
})();
