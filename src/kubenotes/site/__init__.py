"""The site engine: one build of one project, page by page, for any generator running our extension.

``build`` holds a build's state and its failure policy, ``page`` a page being converted, ``capability``
the interface every stage offers (diagrams, manifests, executed blocks, glossary links), ``session`` which
build is running. Generators reach it through ``kubenotes.extension`` and a thin adapter each.
"""
