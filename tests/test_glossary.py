"""Every term the site uses is defined in the glossary, and every tooltip agrees with its entry.

Terms to look for come from two sources: the Kubernetes kinds in the target version's schema, so a page
that starts using a new kind is caught without anyone editing a list, and ``SITE_TERMS``, the curated
component, tool and acronym names no schema lists. Both are searched for in the text of the built pages.
The tooltips are Material abbreviations in ``includes/abbreviations.md``, appended to every page by
pymdownx.snippets (``auto_append`` in mkdocs.yml); ``hooks/glossary_links.py`` then keeps only each term's
first use on a page, as a link to its entry (tests/test_glossary_links.py).

The other direction is checked too: each entry's "Read more" link must land on a built page that covers
the term, meaning the term (or its plural) appears in one of the page's headings or in its prose. Code
listings do not count (a kind that only shows up in sample output is not explained there), nor do the
tooltip texts, which are attributes and not text.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from kubenotes.manifests.versions import TARGET_VERSION, schema_folder

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "docs" / "reference" / "glossary.md"
ABBREVIATIONS = ROOT / "includes" / "abbreviations.md"
SCHEMA_DEFINITIONS = schema_folder(TARGET_VERSION) / "_definitions.json"

# Names the site uses that no API schema lists: components, tools and acronyms. Keep in sync with the
# glossary: a name here that a page uses must have a `### name` entry there.
SITE_TERMS = frozenset(
    {
        "kube-apiserver",
        "etcd",
        "kube-scheduler",
        "kube-controller-manager",
        "cloud-controller-manager",
        "kubelet",
        "kube-proxy",
        "cAdvisor",
        "containerd",
        "CRI-O",
        "cri-dockerd",
        "CRI",
        "CNI",
        "CSI",
        "OCI",
        "CNCF",
        "dockershim",
        "CoreDNS",
        "metrics-server",
        "Headlamp",
        "kubectl",
        "kubeadm",
        "kubeconfig",
        "minikube",
        "Helm",
        "Kustomize",
        "RBAC",
        "CEL",
        "OIDC",
        "HPA",
        "VPA",
        "EKS",
        "GKE",
        "AKS",
        "HTTPRoute",
        "GatewayClass",
    }
)
# Kinds that are also everyday English words ("Scale up", "Workload resources"): counted as used only when
# they appear inside code, where they can only mean the kind.
COMMON_WORD_KINDS = frozenset({"Scale", "Workload", "Status"})

HEADING = re.compile(r"^### (?P<term>.+?)\s*$", re.MULTILINE)
READ_MORE = re.compile(r"\[More about [^\]]+\]\((?P<target>[^)#\s]+)(?:#(?P<anchor>[^)\s]+))?\)")
ABBREVIATION = re.compile(r"^\*\[(?P<term>[^\]]+)\]:\s*(?P<text>.+?)\s*$", re.MULTILINE)


@cache
def schema_kinds() -> frozenset[str]:
    """Every built-in kind in the target version's schema, without the ``...List`` wrappers."""
    definitions = json.loads(SCHEMA_DEFINITIONS.read_text())["$defs"]
    return frozenset(
        gvk["kind"]
        for name, definition in definitions.items()
        if not name.startswith("io.k8s.apimachinery")
        for gvk in definition.get("x-kubernetes-group-version-kind", [])
        if not gvk["kind"].endswith("List")
    )


def glossary_entries(markdown: str) -> dict[str, str]:
    """Map each ``### term`` heading to the text of its entry (up to the next heading)."""
    matches = list(HEADING.finditer(markdown))
    entries = {}
    for match, following in zip(matches, [*matches[1:], None], strict=True):
        end = following.start() if following else len(markdown)
        body = markdown[match.end() : end].split("\n## ")[0]
        entries[match["term"]] = " ".join(body.split())
    return entries


def abbreviations(markdown: str) -> dict[str, str]:
    """Map each ``*[term]: text`` line to its tooltip text."""
    return {match["term"]: match["text"] for match in ABBREVIATION.finditer(markdown)}


def page_texts(html: str) -> tuple[str, str]:
    """The prose and the code of a built page's article, as two strings."""
    article = LexborHTMLParser(html).css_first("article")
    if article is None:
        return "", ""
    code = " ".join(node.text() for node in article.css("code"))
    for node in article.css("pre, code, script, style"):
        node.decompose()
    return article.text(separator=" "), code


def terms_used(prose: str, code: str, candidates: frozenset[str]) -> set[str]:
    """Candidates that occur as whole words (case-sensitive): in prose, or in code for ambiguous kinds."""
    used = set()
    for term in candidates:
        literal = re.escape(term)
        # The term first, then the look-behind past it: the same matches as a leading (?<![\w-]), but the
        # engine can scan for the literal instead of trying the look-behind at every position (20x faster).
        pattern = re.compile(rf"{literal}(?<![\w-]{literal})(?![\w-])")
        searched = code if term in COMMON_WORD_KINDS else f"{prose} {code}"
        if pattern.search(searched):
            used.add(term)
    return used


def undefined_terms(site_dir: Path, glossary_markdown: str) -> dict[str, list[str]]:
    """Terms used on built pages that have no glossary entry, each with the pages that use it."""
    defined = set(glossary_entries(glossary_markdown))
    candidates = schema_kinds() | SITE_TERMS
    missing: dict[str, list[str]] = {}
    for page in sorted(site_dir.rglob("*.html")):
        prose, code = page_texts(page.read_text(encoding="utf-8"))
        for term in sorted(terms_used(prose, code, candidates) - defined):
            missing.setdefault(term, []).append(str(page.relative_to(site_dir)))
    return missing


def read_more_targets(markdown: str) -> dict[str, str]:
    """Map each glossary term to the page its "Read more" link points at (``../x/y.md``, no anchor)."""
    targets = {}
    for term, body in glossary_entries(markdown).items():
        match = READ_MORE.search(body)
        if match:
            targets[term] = match["target"]
    return targets


def built_page(site_dir: Path, target: str) -> Path:
    """The HTML file a glossary link (relative to docs/reference/glossary.md) opens in the built site."""
    page = (Path("reference") / target).as_posix()
    parts: list[str] = []
    for part in page.split("/"):
        if part == "..":
            parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    source = "/".join(parts).removesuffix(".md")
    folder = source.removesuffix("index").rstrip("/")
    return site_dir / folder / "index.html" if folder else site_dir / "index.html"


def covering_text(html: str) -> str:
    """Headings and prose of a built page's article: code listings and scripts removed, inline code kept."""
    article = LexborHTMLParser(html).css_first("article")
    if article is None:
        return ""
    for node in article.css("pre, script, style"):
        node.decompose()
    return " ".join(article.text(separator=" ").split())


def term_pattern(term: str) -> re.Pattern[str]:
    """The term as a whole word, any case, singular or plural.

    ``Taint`` matches ``taints`` and ``Policy`` matches ``policies``.
    """
    words = re.escape(term).replace(r"\ ", r"\s+")
    if term.endswith("y") and not term.endswith(("ay", "ey", "oy", "uy")):
        words = rf"(?:{words}|{re.escape(term[:-1])}ies)"
    return re.compile(rf"(?<![\w-]){words}(?:s|es)?(?![\w-])", re.IGNORECASE)


def covers(text: str, term: str) -> bool:
    """Whether ``text`` mentions ``term``; "A and B" terms (``Requests and limits``) may be split."""
    if term_pattern(term).search(text):
        return True
    parts = [part for part in re.split(r"\s+and\s+", term) if part]
    return len(parts) > 1 and all(term_pattern(part).search(text) for part in parts)


def uncovered_read_more_links(site_dir: Path, glossary_markdown: str) -> dict[str, str]:
    """Glossary terms whose "Read more" page does not mention them, each with the page it points at."""
    uncovered = {}
    for term, target in sorted(read_more_targets(glossary_markdown).items()):
        page = built_page(site_dir, target)
        text = covering_text(page.read_text(encoding="utf-8")) if page.is_file() else ""
        if not covers(text, term):
            uncovered[term] = target
    return uncovered


def plain(markdown_text: str) -> str:
    """Entry text as a tooltip shows it: no backticks or emphasis markers."""
    return re.sub(r"[`*]", "", markdown_text)


# --- the glossary and the tooltip file agree ---------------------------------------------------------------


def test_every_glossary_entry_has_a_definition_and_a_link():
    entries = glossary_entries(GLOSSARY.read_text())
    assert len(entries) >= 50, "the glossary lost most of its entries"
    empty = [term for term, body in entries.items() if len(body) < 20 or "](" not in body]
    assert not empty, f"{GLOSSARY.relative_to(ROOT)}: entries without a definition or a link: {empty}"


def test_every_tooltip_is_a_glossary_term_with_the_same_definition():
    entries = glossary_entries(GLOSSARY.read_text())
    tooltips = abbreviations(ABBREVIATIONS.read_text())
    assert tooltips, f"{ABBREVIATIONS.relative_to(ROOT)} defines no abbreviations"
    unknown = sorted(set(tooltips) - set(entries))
    assert not unknown, f"{ABBREVIATIONS.relative_to(ROOT)}: tooltips for terms the glossary lacks: {unknown}"
    disagree = sorted(term for term, text in tooltips.items() if not plain(entries[term]).startswith(text))
    assert not disagree, (
        f"{ABBREVIATIONS.relative_to(ROOT)}: tooltip text differs from the start of the "
        f"glossary entry for: {disagree}"
    )


def test_every_kind_and_component_in_the_glossary_has_a_tooltip():
    entries = glossary_entries(GLOSSARY.read_text())
    tooltips = abbreviations(ABBREVIATIONS.read_text())
    needing = (set(entries) & (schema_kinds() | SITE_TERMS)) - set(tooltips)
    assert not needing, f"{ABBREVIATIONS.relative_to(ROOT)}: add `*[term]: ...` lines for {sorted(needing)}"


# --- the built site uses no undefined term ------------------------------------------------------------------


def test_every_term_used_on_the_site_is_in_the_glossary(built_site):
    missing = undefined_terms(built_site.site_dir, GLOSSARY.read_text())
    report = "; ".join(f"{term} (used on {', '.join(pages[:3])})" for term, pages in missing.items())
    assert not missing, f"terms used but not defined in {GLOSSARY.relative_to(ROOT)}: {report}"


def test_the_check_reports_a_term_deleted_from_the_glossary(built_site):
    glossary = GLOSSARY.read_text()
    assert "### kubelet\n" in glossary
    without_kubelet = re.sub(r"^### kubelet\n.*?(?=^### |^## )", "", glossary, flags=re.MULTILINE | re.DOTALL)
    assert "kubelet" not in glossary_entries(without_kubelet)
    before = undefined_terms(built_site.site_dir, glossary)
    after = undefined_terms(built_site.site_dir, without_kubelet)
    assert set(after) - set(before) == {"kubelet"}
    assert "architecture/worker-node/index.html" in after["kubelet"]


def test_a_kind_in_code_only_counts_for_ambiguous_words():
    assert terms_used("Scale up the app.", "", frozenset({"Scale"})) == set()
    assert terms_used("", "kind: Scale", frozenset({"Scale"})) == {"Scale"}
    assert terms_used("The CRI-O runtime", "", frozenset({"CRI", "CRI-O"})) == {"CRI-O"}


def test_the_first_use_of_a_term_links_to_the_glossary_with_its_tooltip(built_site):
    page = (built_site.site_dir / "architecture" / "worker-node" / "index.html").read_text(encoding="utf-8")
    tooltips = abbreviations(ABBREVIATIONS.read_text())
    first_use = (
        f'<a class="kn-glossary" href="../../reference/glossary/#pod">'
        f'<abbr title="{tooltips["Pod"]}">Pod</abbr></a>'
    )
    assert page.replace("&#x27;", "'").count(first_use) == 1
    prose, _ = page_texts(page)
    assert prose.count("Pod") > 5, "later uses of the term should still be on the page, as plain text"


# --- every "Read more" link lands on a page that covers the term ------------------------------------------


def test_every_read_more_link_lands_on_a_page_that_covers_the_term(built_site):
    uncovered = uncovered_read_more_links(built_site.site_dir, GLOSSARY.read_text())
    report = "; ".join(f"{term} -> {target}" for term, target in uncovered.items())
    assert not uncovered, (
        f"{GLOSSARY.relative_to(ROOT)}: these entries' Read more pages never mention the "
        f"term in a heading or in their text; point the link at the page that explains "
        f"it, or explain it there: {report}"
    )


def test_the_read_more_check_reports_a_link_to_a_page_about_something_else(built_site):
    glossary = GLOSSARY.read_text()
    entry = "### Karpenter\n"
    assert entry in glossary
    start = glossary.index(entry)
    end = glossary.index("[More about Karpenter](", start)
    moved = glossary[:end] + glossary[end:].replace(
        "(../scaling/autoscaling.md)", "(../workloads/pods.md)", 1
    )
    assert read_more_targets(moved)["Karpenter"] == "../workloads/pods.md"
    before = uncovered_read_more_links(built_site.site_dir, glossary)
    after = uncovered_read_more_links(built_site.site_dir, moved)
    assert set(after) - set(before) == {"Karpenter"}


def test_a_term_only_in_a_code_listing_or_a_tooltip_does_not_count():
    html = (
        "<article><h1>Workloads</h1><p>Pods run <code>sleep</code> with a "
        '<abbr title="A DaemonSet runs one Pod per node">tooltip</abbr>.</p>'
        "<pre><code>kind: DaemonSet</code></pre></article>"
    )
    text = covering_text(html)
    assert not covers(text, "DaemonSet")
    assert covers(text, "Pod") and covers(text, "Workload") and covers(text, "sleep")


def test_plurals_case_and_two_part_terms_count_but_other_words_do_not():
    text = "Taints repel Pods. Two policies apply. Requests are reserved; limits cap use. A podcast."
    assert covers(text, "Taint")
    assert covers(text, "Propagation policy") is False
    assert covers(text, "Policy")
    assert covers(text, "Requests and limits")
    assert not covers(text, "Pod affinity and anti-affinity")
    assert covers("the pod-level budget", "Pod") is False
    assert not covers(text, "Podcas")


def test_built_page_resolves_glossary_relative_links(tmp_path):
    assert built_page(tmp_path, "../workloads/pods.md") == tmp_path / "workloads" / "pods" / "index.html"
    assert built_page(tmp_path, "../index.md") == tmp_path / "index.html"
    assert built_page(tmp_path, "glossary.md") == tmp_path / "reference" / "glossary" / "index.html"
