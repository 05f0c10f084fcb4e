"""Stripe's request encoding: form fields with bracketed keys (`line_items[0][price]`, `expand[]`)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl

KEY_PART = re.compile(r"\[([^\]]*)\]")


class FormError(ValueError):
    """A form key that cannot be read as Stripe encodes them."""


def decode_form(body: str) -> dict[str, Any]:
    """Nested params from a form body: `a[b][0][c]=x` -> {"a": {"b": [{"c": "x"}]}}; `e[]=x` appends."""
    root: dict[str, Any] = {}
    for key, value in parse_qsl(body, keep_blank_values=True):
        head, _, rest = key.partition("[")
        parts = [head, *KEY_PART.findall("[" + rest)] if rest else [head]
        if not head:
            raise FormError(f"Invalid parameter name {key!r}")
        _assign(root, parts, value)
    return _listify(root)


def _assign(node: dict[str, Any], parts: list[str], value: str) -> None:
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        if part == "":
            # `expand[]=a&expand[]=b`: an append, kept as a numbered slot so _listify keeps the order.
            part = str(len(node))
        if last:
            node[part] = value
            return
        child = node.setdefault(part, {})
        if not isinstance(child, dict):
            raise FormError(f"Parameter {'.'.join(parts[: i + 1])} is both a value and an object")
        node = child


def _listify(node: Any) -> Any:
    """Objects whose keys are exactly 0..n-1 become lists, as Stripe reads `items[0]`, `items[1]`."""
    if not isinstance(node, dict):
        return node
    converted = {k: _listify(v) for k, v in node.items()}
    if converted and all(k.isdigit() for k in converted):
        indices = sorted(int(k) for k in converted)
        if indices == list(range(len(indices))):
            return [converted[str(i)] for i in indices]
    return converted


def encode_form(params: dict[str, Any]) -> list[tuple[str, str]]:
    """The inverse, for tests that call the fake without the stripe library."""
    pairs: list[tuple[str, str]] = []

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(f"{prefix}[{k}]" if prefix else str(k), v)
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(f"{prefix}[{i}]", v)
        elif isinstance(value, bool):
            pairs.append((prefix, "true" if value else "false"))
        else:
            pairs.append((prefix, str(value)))

    walk("", params)
    return pairs
