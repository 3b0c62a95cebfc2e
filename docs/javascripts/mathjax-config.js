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
// Chain onto MathJax's own first pass (clearing its cache while that pass runs would drop the
// glyph styles). After a swap, clear the cache: the glyph CSS left with the old page.
let firstPage = true;
document$.subscribe(() => {
  const swapped = !firstPage;
  firstPage = false;
  if (!window.MathJax.startup) return;  // MathJax not loaded yet: its first pass will run
  MathJax.startup.promise = MathJax.startup.promise.then(() => {
    if (swapped) MathJax.startup.output.clearCache();
    MathJax.typesetClear();
    MathJax.texReset();
    return MathJax.typesetPromise();
  });
});
