"""Glossary terms: the first use on each page links to the term's glossary entry, keeping its tooltip.

The glossary page itself shows no tooltips: its entries are the definitions.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError

from kubenotes import glossary

GLOSSARY_PAGE = "reference/glossary.md"


def on_page_content(html: str, *, page, config, files) -> str:
    if page.file.src_uri == GLOSSARY_PAGE:
        return glossary.unwrap_all(html)
    entries = files.get_file_from_path(GLOSSARY_PAGE)
    if entries is None:
        raise PluginError(f"glossary links: docs/{GLOSSARY_PAGE} is missing (the hook links terms to it)")
    toc = config.mdx_configs.get("toc", {})
    anchors = glossary.entry_anchors(Path(entries.abs_src_path).read_text(encoding="utf-8"),
                                     **{key: toc[key] for key in ("slugify", "separator") if key in toc})
    try:
        return glossary.link_first_uses(html, glossary_url=entries.url_relative_to(page.file),
                                        anchors=anchors)
    except glossary.GlossaryError as error:
        raise PluginError(f"docs/{page.file.src_uri}: {error}") from error
