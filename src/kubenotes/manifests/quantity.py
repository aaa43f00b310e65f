"""Kubernetes resource quantity syntax (``500m``, ``1.5Gi``, ``2e3``), which the schemas leave open.

The pattern is apimachinery's own (the one the API server publishes for CRD quantity fields).
"""

from __future__ import annotations

import re

QUANTITY = re.compile(
    r"^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))"
    r"(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$"
)


def is_quantity(value: str) -> bool:
    return QUANTITY.match(value) is not None
