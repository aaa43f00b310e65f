"""The built site loads nothing from another host: it must work on an air-gapped laptop."""

from __future__ import annotations

from pathlib import Path

from conftest import BuildResult
from kubenotes.site_audit import external_loads


def test_built_site_loads_nothing_from_other_hosts(built_site: BuildResult) -> None:
    loads = external_loads(built_site.site_dir)
    assert not loads, "\n".join(map(str, loads))


def test_audit_catches_each_kind_of_external_load(built_site: BuildResult, tmp_path: Path) -> None:
    """The audit must be able to fail: plant one external load of each kind in the real home page (copied
    alone: the audit reads file by file) and in planted CSS, JS and SVG files."""
    site = tmp_path / "site"
    site.mkdir()
    page = site / "index.html"
    html = (built_site.site_dir / "index.html").read_text(encoding="utf-8")
    html = html.replace(
        "</head>",
        '<link rel="stylesheet" href="https://fonts.example.com/a.css">'
        '<script src="//cdn.example.com/x.js"></script></head>',
        1,
    )
    html = html.replace(
        "</body>",
        '<img src="https://img.example.com/p.png" alt="">'
        '<a href="https://example.com/">a plain link is fine</a></body>',
        1,
    )
    page.write_text(html, encoding="utf-8")
    (site / "planted.css").write_text(
        '@import "https://css.example.com/b.css"; p{background:url(http://x.example/i.png)}'
    )
    (site / "planted.js").write_text('import("https://esm.example.com/m.js");')
    (site / "planted.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><image href="https://i.example.com/a.png"/></svg>'
    )

    found = {(str(load.file), load.url) for load in external_loads(site)}

    assert found >= {
        ("index.html", "https://fonts.example.com/a.css"),
        ("index.html", "//cdn.example.com/x.js"),
        ("index.html", "https://img.example.com/p.png"),
        ("planted.css", "https://css.example.com/b.css"),
        ("planted.css", "http://x.example/i.png"),
        ("planted.js", "https://esm.example.com/m.js"),
        ("planted.svg", "https://i.example.com/a.png"),
    }
    assert not any(url == "https://example.com/" for _, url in found)


def test_repository_widget_does_not_call_the_github_api(built_site: BuildResult) -> None:
    """Material fetches stars and forks from api.github.com unless overrides/partials/source.html drops it."""
    html = (built_site.site_dir / "index.html").read_text(encoding="utf-8")
    assert 'class="md-source"' in html
    assert 'data-md-component="source"' not in html
