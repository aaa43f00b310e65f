"""Glossary terms: the first use on each page links to the term's glossary entry, keeping its tooltip.

The linking itself is a Markdown treeprocessor (kubenotes.glossary); this hook adds it to the site's
Markdown extensions, tells it which page is being converted, and fails the build on an undefined term.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError

from kubenotes import glossary

_extension = glossary.GlossaryLinks()
_anchors: dict[str, str] = {}


def on_config(config):
    config.markdown_extensions.append(_extension)
    return config


def on_files(files, *, config):
    entries = files.get_file_from_path(glossary.GLOSSARY_PAGE)
    if entries is None:
        raise PluginError(f"glossary links: docs/{glossary.GLOSSARY_PAGE} is missing (the hook links terms "
                          "to it)")
    toc = config.mdx_configs.get("toc", {})
    slug_settings = {key: toc[key] for key in ("slugify", "separator") if key in toc}
    text = Path(entries.abs_src_path).read_text(encoding="utf-8")
    _anchors.clear()
    _anchors.update(glossary.entry_anchors(text, **slug_settings))
    return files


def on_page_markdown(markdown: str, *, page, config, files) -> str:
    _extension.page = glossary.PageGlossary(page.file.src_uri, _anchors)
    return markdown


def on_page_content(html: str, *, page, config, files) -> str:
    found, _extension.page = _extension.page, None
    error = found.error() if found else None
    if error:
        raise PluginError(f"docs/{page.file.src_uri}: {error}")
    return html
