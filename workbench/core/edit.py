"""Byte-exact round-trip edits of a contract file.

An edit is applied as the smallest text patch at the spot the safe parser
located (see `yaml_safe.Node`): nothing is ever re-serialised, so comments,
quotes, flow/block style, indentation, blank lines, line endings, a missing
final newline and the formatting of untouched numbers are kept by
construction. The new value is rendered in the style of what it replaces (or
of its siblings, for a new key). After patching, the result is parsed again
and must hold exactly the intended data — otherwise the edit is refused, so a
rendering slip can never corrupt a contract.
"""

from __future__ import annotations

import copy
import difflib
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from workbench.core.findings import PathTuple, dotted
from workbench.core.yaml_safe import Node, ParsedYaml, parse_yaml

Scalar = str | int | float | bool | None


class EditError(ValueError):
    """An edit that cannot be applied; the message says why and where."""


@dataclass(frozen=True)
class SetValue:
    """Set `path` to `value` (a scalar, a list of scalars, or a mapping of those).

    `literal` is the text the user typed for a scalar (e.g. `4000`, `8.50`);
    it is written as is when it means the same value.
    """

    path: PathTuple
    value: Any
    literal: str | None = None


@dataclass(frozen=True)
class DeleteKey:
    """Remove the entry at `path` (a mapping key or a list item)."""

    path: PathTuple


@dataclass(frozen=True)
class RenameKey:
    """Rename the mapping key at `path` to `new_key`, keeping its value in place."""

    path: PathTuple
    new_key: str


Edit = SetValue | DeleteKey | RenameKey


@dataclass(frozen=True)
class EditResult:
    """The text before and after, and which lines changed."""

    old_text: str
    new_text: str

    @property
    def changed(self) -> bool:
        """True when the edit changes any byte."""
        return self.old_text != self.new_text

    @property
    def changed_lines(self) -> list[int]:
        """1-based line numbers of the old text that the edit replaced or removed."""
        matcher = difflib.SequenceMatcher(
            None, self.old_text.splitlines(), self.new_text.splitlines(), autojunk=False
        )
        lines: list[int] = []
        for tag, i1, i2, _j1, _j2 in matcher.get_opcodes():
            if tag in ("replace", "delete"):
                lines.extend(range(i1 + 1, i2 + 1))
        return lines

    def unified_diff(self, name: str = "contract") -> str:
        """A unified text diff of the edit (for --dry-run and review)."""
        return "".join(
            difflib.unified_diff(
                self.old_text.splitlines(keepends=True),
                self.new_text.splitlines(keepends=True),
                f"a/{name}",
                f"b/{name}",
            )
        )


def split_path(text: str) -> PathTuple:
    """Split a dotted path; numeric parts index lists (`governance.mandatory_controls.0`)."""
    if not text or any(not part for part in text.split(".")):
        raise EditError(
            f"bad key {text!r}: expected a dotted path such as reliability.p95_latency_ms.tier_2"
        )
    return tuple(int(p) if p.isdigit() else p for p in text.split("."))


def parse_value(text: str) -> tuple[Any, str | None]:
    """Parse a CLI VALUE: a YAML scalar or flow list, safely. Returns (value, literal)."""
    parsed = parse_yaml(f"value: {text}\n")
    if parsed.data is None:
        problem = parsed.findings[0].message if parsed.findings else "not valid YAML"
        raise EditError(f"value {text!r} is not a YAML scalar or flow list: {problem}")
    value = parsed.data["value"]
    if isinstance(value, dict) or (
        isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value)
    ):
        raise EditError(f"value {text!r}: only scalars and flow lists of scalars can be set")
    node = parsed.nodes[("value",)]
    literal = node.raw if node.kind == "scalar" and node.style is None else None
    return value, literal


def apply_edits(text: str, edits: Iterable[Edit]) -> EditResult:
    """Apply edits in order as minimal patches; verify the result; never write."""
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    current = text[len(bom) :]  # node offsets are counted after a byte-order mark
    expected = _load(text)
    for edit in edits:
        patcher = _Patcher(current)
        edit = patcher.keep_quoted(edit)
        expected = _apply_to_data(expected, edit)
        current = patcher.apply(edit)
    result = parse_yaml(current)
    if result.data is None or not same_data(result.data, expected):
        raise EditError(
            "the edit could not be applied without changing other content; nothing was written"
        )
    return EditResult(text, bom + current)


def same_data(a: Any, b: Any) -> bool:
    """Equality that tells 1 from 1.0 from true, and compares NaN with itself."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same_data(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same_data(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return bool(a == b)


def _load(text: str) -> dict[str, Any]:
    parsed = parse_yaml(text)
    if parsed.data is None:
        first = parsed.findings[0]
        raise EditError(
            f"cannot edit a file that does not parse: line {first.line}:{first.column}: {first.message}"
        )
    return parsed.data


def _apply_to_data(data: dict[str, Any], edit: Edit) -> dict[str, Any]:
    """What the plain data must be after `edit` (the patch is checked against it)."""
    data = copy.deepcopy(data)
    *parents, last = edit.path
    node: Any = data
    for index, part in enumerate(parents):
        if isinstance(node, dict) and part not in node and isinstance(edit, SetValue):
            node[part] = {}
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            raise EditError(
                f"{dotted(edit.path)}: there is no {dotted(edit.path[: index + 1])} in the contract"
            ) from None
    if isinstance(edit, SetValue):
        if isinstance(node, list) and not (isinstance(last, int) and last < len(node)):
            raise EditError(f"{dotted(edit.path)}: list index out of range")
        if not isinstance(node, (dict, list)):
            raise EditError(f"{dotted(edit.path)}: {dotted(edit.path[:-1])} is not a mapping")
        node[last] = copy.deepcopy(edit.value)
    elif isinstance(edit, DeleteKey):
        try:
            del node[last]
        except (KeyError, IndexError, TypeError):
            raise EditError(f"{dotted(edit.path)}: nothing to remove there") from None
    else:
        if not isinstance(node, dict) or last not in node:
            raise EditError(f"{dotted(edit.path)}: no such key to rename")
        if edit.new_key in node:
            raise EditError(f"cannot rename {dotted(edit.path)}: '{edit.new_key}' already exists")
        renamed = {(edit.new_key if k == last else k): v for k, v in node.items()}
        node.clear()
        node.update(renamed)
    return data


_FLOW_UNSAFE = re.compile(r"[,\[\]{}]")  # flow indicators end a plain scalar in [..] / {..}
_PLAIN_UNSAFE = re.compile(r"^[-?:,\[\]{}#&*!|>'\"%@`\s]|:\s|\s#|[:\s]$|[\n\r\t]")


class _Patcher:
    """Applies one edit to a text as a minimal patch."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.parsed: ParsedYaml = parse_yaml(text)
        if self.parsed.data is None:
            raise EditError("cannot edit a file that does not parse")
        self.nl = self.parsed.newline
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    # -- entry -------------------------------------------------------------
    def keep_quoted(self, edit: Edit) -> Edit:
        """A number typed over a quoted string stays a string in its quotes.

        `version: "1.0"` set to `1.10` must become `"1.10"`, not the bare
        number 1.1: the file chose quotes there, and the literal is what the
        user meant.
        """
        if not isinstance(edit, SetValue) or edit.literal is None:
            return edit
        if isinstance(edit.value, bool) or not isinstance(edit.value, (int, float)):
            return edit
        node = self._node(edit.path)
        if node is None or node.kind != "scalar" or node.style not in ("'", '"'):
            return edit
        return SetValue(edit.path, edit.literal, None)

    def apply(self, edit: Edit) -> str:
        if isinstance(edit, RenameKey):
            return self._rename(edit)
        if isinstance(edit, DeleteKey):
            return self._delete(edit.path)
        return self._set(edit.path, edit.value, edit.literal)

    # -- helpers -----------------------------------------------------------
    def _node(self, path: PathTuple) -> Node | None:
        return self.parsed.nodes.get(path)

    def _value(self, path: PathTuple) -> Any:
        node: Any = self.parsed.data
        for part in path:
            node = node[part]
        return node

    def _replace(self, start: int, end: int, new: str) -> str:
        return self.text[:start] + new + self.text[end:]

    def _line_of(self, index: int) -> int:
        """0-based line holding char `index`."""
        lo, hi = 0, len(self.line_starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.line_starts[mid] <= index:
                lo = mid
            else:
                hi = mid - 1
        return lo

    def _line_end(self, line: int) -> int:
        """Index just before the line break of 0-based `line`."""
        if line + 1 < len(self.line_starts):
            end = self.line_starts[line + 1] - 1
            return end - 1 if end > 0 and self.text[end - 1] == "\r" else end
        return len(self.text)

    def _content_end(self, path: PathTuple) -> int:
        """End of the last token inside the node at `path` (trailing comments excluded)."""
        node = self.parsed.nodes[path]
        if node.kind == "scalar" or node.flow:
            return self._end(node)
        depth = len(path)
        # block collections end where the next token starts; only scalars and
        # flow collections end where their text ends
        return max(
            self._end(n)
            for p, n in self.parsed.nodes.items()
            if p[:depth] == path and len(p) > depth and (n.kind == "scalar" or n.flow)
        )

    def _end(self, node: Node) -> int:
        """Where a node's text ends; a block scalar (| >) without its trailing line breaks."""
        if node.style in ("|", ">"):
            return node.start + len(self.text[node.start : node.end].rstrip())
        return node.end

    def _in_flow(self, path: PathTuple) -> bool:
        """True when `path` (or the nearest existing node above it) is inside [..] or {..}."""
        return any(
            (n := self.parsed.nodes.get(path[:i])) is not None and n.flow
            for i in range(len(path), -1, -1)
        )

    def _children(self, path: PathTuple) -> list[PathTuple]:
        depth = len(path)
        return [p for p in self.parsed.nodes if len(p) == depth + 1 and p[:depth] == path]

    # -- set ---------------------------------------------------------------
    def _set(self, path: PathTuple, value: Any, literal: str | None) -> str:
        node = self._node(path)
        if node is None:
            return self._insert(path, value, literal)
        old = self._value(path)
        if same_data(old, value):
            return self.text
        if node.kind == "scalar" and not isinstance(value, (list, dict)):
            rendered = self._scalar(value, literal, node, path)
            if node.style is None and node.start == node.end and node.key_end >= 0:
                # an empty value (`key:`) stands at the next token: write after the colon
                at = self.text.index(":", node.key_end) + 1
                return self._replace(at, at, " " + rendered)
            return self._replace(node.start, self._end(node), rendered)
        if (
            node.kind == "sequence"
            and isinstance(value, list)
            and not any(isinstance(v, (list, dict)) for v in value)
        ):
            return self._set_list(path, node, old, value)
        if node.kind == "mapping" and isinstance(value, dict):
            return self._set_mapping(path, old, value)
        if node.flow or node.kind == "scalar":
            if isinstance(value, dict) or any(
                isinstance(v, (list, dict)) for v in (value if isinstance(value, list) else [])
            ):
                raise EditError(
                    f"{dotted(path)}: cannot replace a value with a nested collection here"
                )
            return self._replace(node.start, node.end, self._inline(value, path))
        raise EditError(
            f"{dotted(path)}: cannot turn a {_KIND_WORDS[node.kind]} into {_value_words(value)}; "
            + (
                (
                    "write [] for an empty list"
                    if value is None
                    else f"write a list, e.g. [{str(value).lower() if isinstance(value, bool) else value}]"
                )
                if node.kind == "sequence" and not isinstance(value, dict)
                else "edit its entries instead"
            )
        )

    def _set_mapping(self, path: PathTuple, old: dict[str, Any], value: dict[str, Any]) -> str:
        """Replace a mapping entry by entry (one patch per differing key)."""
        # additions first, so the mapping is never left empty in between
        edits: list[Edit] = [SetValue((*path, k), v) for k, v in value.items()]
        edits += [DeleteKey((*path, k)) for k in old if k not in value]
        text = self.text
        for edit in edits:
            text = _Patcher(text).apply(edit)
        return text

    def _set_list(self, path: PathTuple, node: Node, old: list[Any], new: list[Any]) -> str:
        items = self._children(path)
        if node.flow and self._line_of(node.start) != self._line_of(node.end - 1):
            kept = [x for x in old if any(same_data(x, y) for y in new)]
            added = [y for y in new if not any(same_data(x, y) for x in old)]
            if new and same_data(kept + added, new):
                return self._edit_flow_list_in_place(path, new, added)
        if node.flow:
            texts = []
            for item in new:
                match = next((p for p in items if same_data(self._value(p), item)), None)
                texts.append(
                    self.text[self.parsed.nodes[match].start : self.parsed.nodes[match].end]
                    if match
                    else self._scalar(item, None, self._sibling_style(items, path), path)
                )
            inner = self.text[node.start + 1 : node.end - 1]
            pad = " " if inner.startswith(" ") and inner.strip() else ""
            return self._replace(node.start, node.end, "[" + pad + ", ".join(texts) + pad + "]")
        if not new:
            return self._empty_block_list(path, node, items)
        kept_old = [x for x in old if any(same_data(x, y) for y in new)]
        kept_new = [y for y in new if any(same_data(x, y) for x in old)]
        if not same_data(kept_old, kept_new):
            raise EditError(
                f"{dotted(path)}: reordering a block list is not supported; remove and add items instead"
            )
        text = self.text
        # new items first, each after its predecessor in `new` (or before the
        # first item), so the list is never left empty in between
        for index, item in enumerate(new):
            if any(same_data(x, item) for x in old):
                continue
            before = new[index - 1] if index else None
            text = _Patcher(text)._insert_block_item(path, index, item, before)
        # then the removals, from the end so earlier offsets stay valid
        current = _Patcher(text)._value(path)
        for index in reversed(range(len(current))):
            if not any(same_data(current[index], y) for y in new):
                text = _Patcher(text).apply(DeleteKey((*path, index)))
        return text

    def _edit_flow_list_in_place(self, path: PathTuple, new: list[Any], added: list[Any]) -> str:
        """A flow list written over several lines: append and remove items, keep the layout."""
        text = self.text
        for item in added:
            patcher = _Patcher(text)
            items = patcher._children(path)
            rendered = patcher._scalar(item, None, patcher._sibling_style(items, path), path)
            text = patcher._insert_flow_entry(path, patcher.parsed.nodes[path], rendered)
        current = _Patcher(text)._value(path)
        for index in reversed(range(len(current))):
            if not any(same_data(current[index], y) for y in new):
                text = _Patcher(text).apply(DeleteKey((*path, index)))
        return text

    def _empty_block_list(self, path: PathTuple, node: Node, items: list[PathTuple]) -> str:
        """Turn a block list into `key: []`; its item lines (and comments between them) go."""
        if node.key_end < 0:
            raise EditError(f"{dotted(path)}: cannot empty a list that has no key; edit by hand")
        colon = self.text.index(":", node.key_end) + 1
        first_line = self._line_of(self.parsed.nodes[items[0]].start)
        last_line = self._line_of(self._content_end(path) - 1)
        cut_from = self.line_starts[first_line]
        if last_line + 1 < len(self.line_starts):
            cut_to = self.line_starts[last_line + 1]
        else:  # the list ends the file without a final newline
            cut_from, cut_to = cut_from - len(self.nl), len(self.text)
        return self.text[:colon] + " []" + self.text[colon:cut_from] + self.text[cut_to:]

    def _insert_block_item(self, path: PathTuple, index: int, item: Any, before: Any) -> str:
        """Insert `item` first (`index` 0) or right after the item equal to `before`."""
        if index == 0:
            items = self._children(path)
            first_node = self.parsed.nodes[items[0]]
            line_start = self.line_starts[self._line_of(first_node.start)]
            dash_prefix = self.text[line_start : first_node.start]
            if dash_prefix.strip() != "-":
                raise EditError(f"{dotted(path)}: unusual list layout; edit it by hand")
            rendered = self._scalar(item, None, self._sibling_style(items, path), path)
            return self._replace(line_start, line_start, dash_prefix + rendered + self.nl)
        current = self._value(path)
        matches = [i for i, x in enumerate(current) if same_data(x, before)]
        if not matches:  # an earlier insert did not land in this list (unusual layout)
            raise EditError(f"{dotted(path)}: unusual list layout; edit it by hand")
        return self._append_block_item(path, item, after=matches[-1])

    def _append_block_item(self, path: PathTuple, item: Any, after: int = -1) -> str:
        """Add `item` on a new line after item `after` (default: the last one)."""
        items = self._children(path)
        last = items[after]
        first_node = self.parsed.nodes[items[0]]
        dash_line = self._line_of(first_node.start)
        dash_prefix = self.text[self.line_starts[dash_line] : first_node.start]  # e.g. "    - "
        if dash_prefix.strip() != "-":  # e.g. "- - a": a list inside a list item
            raise EditError(f"{dotted(path)}: unusual list layout; edit it by hand")
        rendered = self._scalar(item, None, self._sibling_style(items, path), path)
        at = self._line_end(self._line_of(self._content_end(last)))
        return self._replace(at, at, self.nl + dash_prefix + rendered)

    def _sibling_style(self, items: Sequence[PathTuple], path: PathTuple) -> Node | None:
        """A node whose quoting a new item should copy: a sibling, or the same field elsewhere."""
        for p in items:
            n = self.parsed.nodes[p]
            if n.kind == "scalar":
                return n
        return self._lookalike(path, child=True)

    def _lookalike(self, path: PathTuple, child: bool = False) -> Node | None:
        """A node at a path of the same shape (e.g. the same field of another tier)."""
        want = len(path) + (1 if child else 0)
        for p, n in self.parsed.nodes.items():
            if (
                len(p) == want
                and p[-2 if child else -1] == path[-1]
                and n.kind == "scalar"
                and p[: len(path)] != path
            ):
                return n
        return None

    # -- insert --------------------------------------------------------------
    def _insert(self, path: PathTuple, value: Any, literal: str | None) -> str:
        parent_path, key = path[:-1], path[-1]
        parent = self._node(parent_path)
        if parent is None:
            return self._set(parent_path, {key: value}, None)
        if parent.kind != "mapping" or not isinstance(key, str):
            raise EditError(
                f"{dotted(path)}: {dotted(parent_path) or 'the top level'} is not a mapping"
            )
        if parent.flow:
            rendered = f"{self._key(key)}: {self._inline(value, path, literal)}"
            return self._insert_flow_entry(parent_path, parent, rendered)
        children = self._children(parent_path)
        if not children:
            raise EditError(f"{dotted(path)}: cannot add to an empty block mapping")
        first = self.parsed.nodes[children[0]]
        indent = " " * (first.key_column - 1)
        step = self._indent_step()
        at = self._line_end(self._line_of(self._content_end(children[-1])))
        lines = self._block_lines(key, value, indent, step, path, literal)
        return self._replace(at, at, "".join(self.nl + line for line in lines))

    def _insert_flow_entry(self, parent_path: PathTuple, parent: Node, rendered: str) -> str:
        """Add `rendered` after the last entry of a flow collection, in its layout.

        One line per entry (`{\n  a: 1,\n  b: 2\n}`) gets a new line; an
        existing trailing comma is kept after the new entry.
        """
        close = parent.end - 1
        children = self._children(parent_path)
        if not children:
            at = close
            while at > parent.start + 1 and self.text[at - 1] in " \t\r\n":
                at -= 1
            return self._replace(at, at, rendered)
        end = self._content_end(children[-1])
        comma = re.match(r"\s*,", self.text[end:close])
        line = self._line_of(end)
        last = self.parsed.nodes[children[-1]]
        first_start = last.key_start if last.key_start >= 0 else last.start
        indent = self.text[self.line_starts[self._line_of(first_start)] : first_start]
        one_per_line = (
            self._line_of(first_start) != self._line_of(parent.start)
            and self._line_of(close) != line
            and not indent.strip()
        )
        if one_per_line:
            if comma:
                at = self._line_end(self._line_of(end + comma.end() - 1))
                return self._replace(at, at, self.nl + indent + rendered + ",")
            at = self._line_end(line)
            return (
                self.text[:end]
                + ","
                + self.text[end:at]
                + self.nl
                + indent
                + rendered
                + self.text[at:]
            )
        if comma:
            at = end + comma.end()
            return self._replace(at, at, " " + rendered + ",")
        return self._replace(end, end, ", " + rendered)

    def _block_lines(
        self, key: str, value: Any, indent: str, step: str, path: PathTuple, literal: str | None
    ) -> list[str]:
        head = f"{indent}{self._key(key)}:"
        if isinstance(value, dict):
            lines = [head]
            for k, v in value.items():
                lines += self._block_lines(k, v, indent + step, step, (*path, k), None)
            return lines
        if isinstance(value, list) and value and not self._prefers_flow(path):
            dash = indent + self._sequence_offset() + "- "
            style = self._lookalike(path, child=True)
            return [head] + [dash + self._scalar(item, None, style, path) for item in value]
        return [f"{head} {self._inline(value, path, literal)}"]

    def _inline(self, value: Any, path: PathTuple, literal: str | None = None) -> str:
        if isinstance(value, list):
            style = self._lookalike(path, child=True)
            return (
                "[" + ", ".join(self._scalar(v, None, style, path, flow=True) for v in value) + "]"
            )
        if isinstance(value, dict):
            return (
                "{"
                + ", ".join(
                    f"{self._key(k)}: {self._inline(v, (*path, k))}" for k, v in value.items()
                )
                + "}"
            )
        return self._scalar(value, literal, self._lookalike(path), path)

    def _prefers_flow(self, path: PathTuple) -> bool:
        for p, n in self.parsed.nodes.items():
            if p and p[-1] == path[-1] and n.kind == "sequence" and p != path:
                return n.flow
        return False

    def _indent_step(self) -> str:
        """The file's own mapping indentation step (2 or 4 spaces, ...)."""
        for p, n in self.parsed.nodes.items():
            if len(p) == 2 and n.key_column > 1:
                parent = self.parsed.nodes[p[:1]]
                if not parent.flow and parent.kind == "mapping":
                    return " " * (n.key_column - parent.key_column)
        return "  "

    def _sequence_offset(self) -> str:
        """How far a block sequence's dash sits right of its key (0 or 2 ...)."""
        for n in self.parsed.nodes.values():
            if n.kind == "sequence" and not n.flow and n.key_column:
                return " " * max(0, n.column - n.key_column)
        return ""

    # -- delete / rename -----------------------------------------------------
    def _delete(self, path: PathTuple) -> str:
        node = self._node(path)
        parent = self._node(path[:-1])
        if node is None or parent is None:
            raise EditError(f"{dotted(path)}: nothing to remove there")
        if len(self._children(path[:-1])) == 1 and not parent.flow:
            raise EditError(
                f"{dotted(path)}: cannot remove the only entry of {dotted(path[:-1])}; remove or replace {dotted(path[:-1])} instead"
            )
        start = node.key_start if parent.kind == "mapping" else node.start
        end = self._content_end(path)
        if parent.flow:
            return self._delete_flow(parent, start, end)
        first_line = self._line_of(start)
        last_line = self._line_of(end - 1 if end > start else end)
        lead = self.text[self.line_starts[first_line] : start]
        if parent.kind == "sequence":
            lead = lead.rstrip()[:-1] if lead.rstrip().endswith("-") else lead
        if lead.strip():
            raise EditError(
                f"{dotted(path)}: entry shares its line with other content; edit it by hand"
            )
        line_from = self.line_starts[first_line]
        if last_line + 1 < len(self.line_starts):
            return self.text[:line_from] + self.text[self.line_starts[last_line + 1] :]
        # last line of a file without a final newline: drop the break before it
        cut = line_from - len(self.nl) if line_from >= len(self.nl) else line_from
        return self.text[:cut] + self.text[len(self.text) :]

    def _delete_flow(self, parent: Node, start: int, end: int) -> str:
        before = self.text[parent.start + 1 : start]
        after = self.text[end : parent.end - 1]
        m_after = re.match(r"\s*,\s*", after)
        if m_after:
            return self._replace(start, end + m_after.end(), "")
        m_before = re.search(r",\s*$", before)
        if m_before:
            return self._replace(parent.start + 1 + m_before.start(), end, "")
        return self._replace(start, end, "")

    def _rename(self, edit: RenameKey) -> str:
        node = self._node(edit.path)
        if node is None or node.key_start < 0:
            raise EditError(f"{dotted(edit.path)}: no such key to rename")
        key_node = Node("scalar", node.key_start, node.key_end, node.key_line, node.key_column)
        quote = self.text[node.key_start]
        key_node.style = quote if quote in "'\"" else None
        return self._replace(
            node.key_start,
            node.key_end,
            self._scalar(edit.new_key, None, key_node, edit.path, as_key=True),
        )

    # -- rendering -----------------------------------------------------------
    def _key(self, key: str) -> str:
        return self._scalar(key, None, None, (), as_key=True)

    def _scalar(
        self,
        value: Scalar,
        literal: str | None,
        like: Node | None,
        path: PathTuple,
        *,
        as_key: bool = False,
        flow: bool = False,
    ) -> str:
        # a typed number or boolean keeps its spelling; text follows the quoting it replaces
        if literal is not None and not isinstance(value, str) and _plain_means(literal, value):
            return literal
        if isinstance(value, bool):
            return "true" if value else "false"
        if value is None:
            return "null"
        if isinstance(value, (int, float)):
            return _number_text(
                value, like.raw if like is not None and like.style is None else None
            )
        if not isinstance(value, str):
            raise EditError(f"{dotted(path)}: cannot write a {type(value).__name__}")
        style = like.style if like is not None else None
        if style == "'" and not _NEEDS_ESCAPE.search(value) and "\n" not in value:
            return "'" + value.replace("'", "''") + "'"
        if (
            style in (None, "|", ">")
            and _plain_means(value, value)
            and not _PLAIN_UNSAFE.search(value)
            and not _NEEDS_ESCAPE.search(value)
            and not ((flow or self._in_flow(path)) and _FLOW_UNSAFE.search(value))
        ):
            return value
        return _double_quoted(value)


_KIND_WORDS = {"mapping": "mapping", "sequence": "list", "scalar": "value"}


def _value_words(value: Any) -> str:
    """`a number`, `a list`, ... for messages (not Python type names)."""
    if isinstance(value, bool):
        return "a boolean"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a text value"
    return "a list" if isinstance(value, list) else "a mapping"


def _plain_means(text: str, value: Any) -> bool:
    """True when `text` written plain reads back as exactly `value`."""
    if not text or text != text.strip() or "\n" in text:
        return False
    parsed = parse_yaml(f"k: {text}\n")
    return parsed.data is not None and same_data(parsed.data.get("k"), value)


def _number_text(value: int | float, like_raw: str | None) -> str:
    """Write a number, keeping the decimals of the number it replaces (8.50 → 9.25 style)."""
    if isinstance(value, int):
        return str(value)
    if math.isinf(value):
        return ".inf" if value > 0 else "-.inf"
    if math.isnan(value):
        return ".nan"
    if like_raw and re.fullmatch(r"[-+]?[0-9]+\.[0-9]+", like_raw) and abs(value) < 1e15:
        decimals = len(like_raw.split(".")[1])
        fixed = f"{value:.{decimals}f}"
        if float(fixed) == value:
            return fixed
    text = repr(value)
    return text if _plain_means(text, value) else f"{value:.17g}"


# Characters a double-quoted scalar must escape: C0/C1 controls, DEL, the
# BOM, surrogates and non-characters, and the Unicode line/paragraph separators
# (YAML 1.1 readers treat U+0085/2028/2029 as line breaks; str.splitlines too).
_NEEDS_ESCAPE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff\t\r]"
)
_SHORT_ESCAPES = {
    "\x00": "\\0",
    "\t": "\\t",
    "\r": "\\r",
    "\x85": "\\N",
    "\u2028": "\\L",
    "\u2029": "\\P",
}


def _escape(match: re.Match[str]) -> str:
    char = match.group(0)
    if char in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[char]
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def _double_quoted(value: str) -> str:
    escaped = _NEEDS_ESCAPE.sub(
        _escape, value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    )
    return f'"{escaped}"'
