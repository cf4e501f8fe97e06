"""Reading a value at a path in plain contract data."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def value_at(data: Any, path: Iterable[str | int], default: Any = None) -> Any:
    """The value at `path` (mapping keys; list indexes as ints or digit strings).

    Tolerant of any shape: returns `default` as soon as a step is missing or
    lands on something that cannot be indexed.
    """
    node = data
    for part in path:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and str(part).isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return default
    return node
