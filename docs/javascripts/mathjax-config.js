// MathJax settings for pymdownx.arithmatex's "generic" output (\( \) and \[ \] inside
// .arithmatex elements). Loaded before MathJax itself, which this site serves locally.
window.MathJax = {
  tex: {
    inlineMath: [["\\(", "\\)"]],
    displayMath: [["\\[", "\\]"]],
    processEscapes: true,
    processEnvironments: true,
  },
  options: {
    ignoreHtmlClass: ".*|",
    processHtmlClass: "arithmatex",
  },
};

// Material's instant navigation swaps page content without a reload: typeset each new page.
// Chain onto MathJax's own first pass, and keep its glyph cache: clearing the cache
// (MathJax.startup.output.clearCache) drops the glyph styles and leaves formulas blank.
document$.subscribe(() => {
  if (!window.MathJax.startup) return;  // MathJax not loaded yet: its first pass will run
  MathJax.startup.promise = MathJax.startup.promise.then(() => {
    MathJax.typesetClear();
    MathJax.texReset();
    return MathJax.typesetPromise();
  });
});
