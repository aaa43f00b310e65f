"""JavaScript run inside a loaded page; each returns plain data for the Python assertions."""

# Every <img>, including lazy ones and hidden theme variants: force loading, then decode() proves the
# bytes are a real picture (it rejects on a broken or undecodable file); naturalWidth > 0 for SVG too.
IMAGES = """
async () => Promise.all([...document.images].map(async (img) => {
  img.loading = "eager";
  let error = null;
  try { await img.decode(); } catch (e) { error = String(e); }
  return {src: img.currentSrc || img.src, alt: img.getAttribute("alt"), naturalWidth: img.naturalWidth,
          error};
}))
"""

# Heading levels of the article, in document order (the theme's chrome has no headings of its own).
HEADINGS = """
() => [...document.querySelectorAll("article h1, article h2, article h3, article h4, article h5, article h6")]
  .map((h) => ({level: Number(h.tagName[1]), text: h.textContent.trim()}))
"""

# axe-core's violations, reduced to what a failure message needs.
AXE_VIOLATIONS = """
async () => {
  const results = await axe.run(document, {resultTypes: ["violations"]});
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
  }));
}
"""

# Every figure holding a diagram, with each of its diagram images (a theme may ship light and dark
# variants, one hidden): is it shown, decoded, of a readable size, and on top at its centre?
DIAGRAM_FIGURES = """
async () => {
  const images = [...document.querySelectorAll('article img[src*="assets/diagrams/"]')];
  const figures = [...new Set(images.map((img) => img.closest("figure") || img.parentElement))];
  const report = [];
  for (const figure of figures) {
    const variants = [];
    for (const img of figure.querySelectorAll('img[src*="assets/diagrams/"]')) {
      img.loading = "eager";
      try { await img.decode(); } catch (e) { /* naturalWidth stays 0 and the test says so */ }
      const shown = img.checkVisibility({opacityProperty: true, visibilityProperty: true});
      let onTop = false;
      if (shown) {
        img.scrollIntoView({block: "center"});
        const box = img.getBoundingClientRect();
        const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
        onTop = hit === img || img.contains(hit);
      }
      const box = img.getBoundingClientRect();
      variants.push({src: img.currentSrc || img.src, shown, onTop, naturalWidth: img.naturalWidth,
                     width: Math.round(box.width), height: Math.round(box.height)});
    }
    report.push(variants);
  }
  return report;
}
"""

# After a resize: one frame for resize handlers and style to run, then every finite animation or
# transition jumps to its end state (an infinite one, such as a spinner, cannot finish and is left).
FINISH_ANIMATIONS = """
async () => {
  await new Promise((frame) => requestAnimationFrame(() => frame()));
  for (const animation of document.getAnimations()) {
    if (animation.effect && animation.effect.getComputedTiming().endTime !== Infinity) animation.finish();
  }
}
"""
