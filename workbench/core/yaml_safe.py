"""Safe YAML parsing for untrusted input.

One pass over the parser's events both *checks* and *builds*: it rejects
explicit tags, anchors and aliases, directives, extra documents, deep nesting
and duplicate keys before any value exists, and builds plain Python data
(dict / list / str / int / float / bool / None) plus the position of every
node. Nothing is ever constructed from a tag and no alias is ever expanded, so
an alias bomb costs what its text costs to scan. The C event parser from
ruamel.yaml.clib is used when present (same checks, same results).
"""

from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml import events as ev
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.reader import ReaderError

from workbench.core.findings import Finding, PathTuple, dotted

try:  # the C parser is an optional speed-up; results are identical
    from ruamel.yaml.cyaml import CParser as _CParser
except ImportError:  # pragma: no cover - depends on the platform
    _CParser = None

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 64
# A contract has a few hundred nodes; a cap keeps a 1 MiB flow list from costing seconds.
MAX_NODES = 25_000

# Rule ids of the loader's findings, with their one-line descriptions.
LOAD_RULES: dict[str, str] = {
    "CW000": "the file cannot be read (missing, a directory, no permission)",
    "CW001": "YAML syntax error (including tabs used for indentation)",
    "CW002": "file is not valid UTF-8",
    "CW003": "file is larger than 1 MiB",
    "CW004": "file is empty",
    "CW005": "explicit YAML tag (e.g. !!python/object) is not allowed",
    "CW006": "anchors and aliases are not allowed",
    "CW007": "YAML directives (%YAML, %TAG) are not allowed",
    "CW008": "more than one YAML document",
    "CW009": "nesting deeper than 64 levels",
    "CW010": "duplicate key",
    "CW011": "the top level must be a mapping",
    "CW012": "complex (non-scalar) mapping keys are not allowed",
    "CW013": "more than 25,000 values in one file",
}

_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_INT = re.compile(r"[-+]?[0-9]+\Z")
_OCT = re.compile(r"0o[0-7]+\Z")
_HEX = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_INF = re.compile(r"[-+]?\.(inf|Inf|INF)\Z")
_NAN = re.compile(r"\.(nan|NaN|NAN)\Z")


def resolve_plain(text: str) -> Any:
    """Resolve a plain (unquoted) scalar by the YAML 1.2 core schema.

    `yes`, `on` and friends are strings here, as in YAML 1.2.
    """
    if text in _NULL:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if _INT.match(text):
        return int(text)
    if _OCT.match(text):
        return int(text[2:], 8)
    if _HEX.match(text):
        return int(text[2:], 16)
    if _FLOAT.match(text):
        return float(text)
    if _INF.match(text):
        return -math.inf if text.startswith("-") else math.inf
    if _NAN.match(text):
        return math.nan
    return text


@dataclass(slots=True)
class Node:
    """Where one node stands in the text (offsets are character indexes)."""

    kind: str  # "scalar" | "mapping" | "sequence"
    start: int
    end: int
    line: int  # 1-based
    column: int  # 1-based
    style: str | None = None  # scalar style: None (plain), "'", '"', "|", ">"
    flow: bool = False  # collections: flow style ([..] / {..})
    raw: str | None = None  # scalar text before resolution
    key_start: int = -1  # mapping values: where their key stands
    key_end: int = -1
    key_line: int = 0
    key_column: int = 0


@dataclass
class ParsedYaml:
    """Plain data, node positions and findings of one safely parsed file."""

    data: Any
    nodes: dict[PathTuple, Node]
    findings: list[Finding]
    text: str = ""
    newline: str = "\n"
    bom: bool = False

    @property
    def ok(self) -> bool:
        """True when the text parsed without a rejection."""
        return not self.findings

    def position(self, path: PathTuple, *, key: bool = False) -> tuple[int, int]:
        """1-based (line, column) of `path`, or of its nearest present ancestor."""
        probe = tuple(path)
        while probe:
            node = self.nodes.get(probe)
            if node is not None:
                if key and node.key_line:
                    return node.key_line, node.key_column
                return node.line, node.column
            probe = probe[:-1]
        root = self.nodes.get(())
        return (root.line, root.column) if root else (1, 1)


class _Reject(Exception):
    """Stops the scan at the first unsafe construct."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding


@dataclass
class _Frame:
    container: dict[str, Any] | list[Any]
    path: PathTuple
    node: Node
    key: str | None = None
    key_node: Node | None = None
    keys: set[str] = field(default_factory=set)


def _mark(event: Any) -> tuple[int, int]:
    return event.start_mark.line + 1, event.start_mark.column + 1


def _finding(
    rule: str, message: str, line: int, column: int, path: PathTuple = (), hint: str | None = None
) -> Finding:
    return Finding(rule, "error", dotted(path), line, column, message, hint)


def decode(raw: bytes) -> tuple[str | None, bool, list[Finding]]:
    """Decode UTF-8 bytes (a BOM is allowed and remembered); locate a bad byte."""
    bom = raw.startswith(b"\xef\xbb\xbf")
    body = raw[3:] if bom else raw
    try:
        return body.decode("utf-8"), bom, []
    except UnicodeDecodeError as exc:
        before = body[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        msg = f"invalid UTF-8 byte 0x{body[exc.start]:02x}; the file must be UTF-8 text"
        return None, bom, [_finding("CW002", msg, line, column, hint="re-save the file as UTF-8")]


def _events(text: str, fast: bool) -> Any:
    if fast and _CParser is not None:
        parser = _CParser(io.StringIO(text))
        while parser.check_event():
            yield parser.get_event()
        return
    yield from YAML(typ="safe", pure=True).parse(text)


def parse_yaml(source: str | bytes, *, fast: bool = True) -> ParsedYaml:
    """Safely parse untrusted YAML text into plain data and node positions.

    Never raises for bad input: every problem becomes a located finding and
    `data` is None. `fast` uses the C event parser when installed.
    """
    if isinstance(source, bytes):
        if len(source) > MAX_BYTES:
            return _rejected(
                "CW003", f"file is {len(source):,} bytes; the limit is {MAX_BYTES:,} (1 MiB)"
            )
        text, bom, problems = decode(source)
        if text is None:
            return ParsedYaml(None, {}, problems)
    else:
        text, bom = source, source.startswith("\ufeff")
        if bom:
            text = text[1:]
        if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
            return _rejected("CW003", f"text is larger than {MAX_BYTES:,} bytes (1 MiB)")
        try:  # a lone surrogate (e.g. from surrogateescape) would crash the C parser
            text.encode("utf-8")
        except UnicodeEncodeError as exc:
            line, column = _locate(text, exc.start)
            msg = f"character U+{ord(text[exc.start]):04X} cannot be encoded as UTF-8"
            return ParsedYaml(None, {}, [_finding("CW002", msg, line, column)])
    newline = "\r\n" if "\r\n" in text else "\n"
    if not text.strip():
        return ParsedYaml(
            None,
            {},
            [_finding("CW004", "file is empty; expected a contract mapping", 1, 1)],
            text,
            newline,
            bom,
        )
    builder = _Builder()
    try:
        for event in _events(text, fast):
            builder.feed(event)
    except _Reject as stop:
        builder.findings.append(stop.finding)
    except MarkedYAMLError as exc:
        builder.findings.append(_syntax_finding(exc))
    except ReaderError as exc:
        line, column = _locate(text, getattr(exc, "position", 0))
        builder.findings.append(
            _finding(
                "CW001",
                f"unacceptable character #x{exc.character:04x}: {exc.reason}"
                if isinstance(exc.character, int)
                else str(exc),
                line,
                column,
            )
        )
    except YAMLError as exc:  # any other parser complaint, still never a traceback
        builder.findings.append(
            _finding("CW001", str(exc).splitlines()[0] if str(exc) else "YAML error", 1, 1)
        )
    findings = builder.findings
    data = None if findings else builder.root
    if not findings and data is None and not builder.nodes:
        findings = [
            _finding("CW004", "file holds only comments; expected a contract mapping", 1, 1)
        ]
    elif not findings and not isinstance(data, dict):
        kind = type(data).__name__ if data is not None else "nothing"
        findings = [
            _finding("CW011", f"the top level must be a mapping of contract keys, not {kind}", 1, 1)
        ]
        data = None
    return ParsedYaml(data, builder.nodes, findings, text, newline, bom)


def _rejected(rule: str, message: str) -> ParsedYaml:
    return ParsedYaml(None, {}, [_finding(rule, message, 1, 1)])


def _locate(text: str, index: int) -> tuple[int, int]:
    before = text[:index]
    return before.count("\n") + 1, index - (before.rfind("\n") + 1) + 1


def _syntax_finding(exc: MarkedYAMLError) -> Finding:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    problem = (exc.problem or "syntax error").strip()
    context = (exc.context or "").strip()
    hint = None
    if "cannot start any token" in problem or "\t" in problem:
        hint = "YAML indentation must use spaces, not tabs"
    message = f"{problem} ({context})" if context else problem
    return _finding("CW001", message, line, column, hint=hint)


class _Builder:
    """Turns a stream of parse events into plain data, refusing unsafe input."""

    def __init__(self) -> None:
        self.stack: list[_Frame] = []
        self.root: Any = None
        self.nodes: dict[PathTuple, Node] = {}
        self.findings: list[Finding] = []
        self.documents = 0
        self.count = 0

    def feed(self, event: Any) -> None:
        kind = type(event)
        # scalars are most events: take them first (this loop is the cold-history hot path)
        if kind is ev.ScalarEvent:
            self._check_node(event)
            self._scalar(event)
            return
        if kind is ev.MappingEndEvent or kind is ev.SequenceEndEvent:
            frame = self.stack.pop()
            frame.node.end = event.end_mark.index
            return
        if isinstance(event, ev.DocumentStartEvent):
            self._document(event)
            return
        if isinstance(event, (ev.StreamStartEvent, ev.StreamEndEvent, ev.DocumentEndEvent)):
            return
        if isinstance(event, (ev.MappingEndEvent, ev.SequenceEndEvent)):
            frame = self.stack.pop()
            frame.node.end = event.end_mark.index
            return
        if isinstance(event, ev.AliasEvent):
            line, column = _mark(event)
            raise _Reject(
                _finding(
                    "CW006",
                    f"alias '*{event.anchor}' is not allowed (anchors and aliases can hide alias bombs)",
                    line,
                    column,
                    self._here(),
                    "write the value out in full",
                )
            )
        self._check_node(event)
        if isinstance(event, ev.ScalarEvent):
            self._scalar(event)
        elif isinstance(event, (ev.MappingStartEvent, ev.SequenceStartEvent)):
            self._collection(event)

    def _document(self, event: Any) -> None:
        self.documents += 1
        line, column = _mark(event)
        if self.documents > 1:
            raise _Reject(
                _finding(
                    "CW008",
                    "more than one YAML document; a contract is one document",
                    line,
                    column,
                    hint="remove the second '---' and what follows, or split the file",
                )
            )
        if getattr(event, "version", None) or getattr(event, "tags", None):
            raise _Reject(
                _finding(
                    "CW007",
                    "YAML directives (%YAML, %TAG) are not allowed",
                    1,
                    1,
                    hint="remove the '%' line at the top",
                )
            )

    def _here(self) -> PathTuple:
        if not self.stack:
            return ()
        frame = self.stack[-1]
        if isinstance(frame.container, dict):
            return frame.path + ((frame.key,) if frame.key is not None else ())
        return frame.path + (len(frame.container),)

    def _check_node(self, event: Any) -> None:
        line, column = _mark(event)
        if event.anchor:
            raise _Reject(
                _finding(
                    "CW006",
                    f"anchor '&{event.anchor}' is not allowed (anchors and aliases can hide alias bombs)",
                    line,
                    column,
                    self._here(),
                    "write the value out in full",
                )
            )
        if event.tag is not None:
            raise _Reject(
                _finding(
                    "CW005",
                    f"explicit tag '{event.tag}' is not allowed",
                    line,
                    column,
                    self._here(),
                    "remove the tag; contracts hold plain strings, numbers, booleans, lists and mappings",
                )
            )
        self.count += 1
        if self.count > MAX_NODES:
            raise _Reject(
                _finding(
                    "CW013",
                    f"more than {MAX_NODES:,} values; this is not a contract",
                    line,
                    column,
                    self._here(),
                )
            )
        # depth counts collections: a scalar inside 64 of them is still 64 deep
        if len(self.stack) >= MAX_DEPTH and not isinstance(event, ev.ScalarEvent):
            raise _Reject(
                _finding(
                    "CW009", f"nesting deeper than {MAX_DEPTH} levels", line, column, self._here()
                )
            )

    def _scalar(self, event: Any) -> None:
        style = event.style or None
        line, column = _mark(event)
        try:
            value: Any = resolve_plain(event.value) if style is None else event.value
        except ValueError:  # int() refuses > 4300 digits (CPython's DoS guard)
            raise _Reject(
                _finding(
                    "CW001",
                    f"number with {len(event.value):,} digits is too long",
                    line,
                    column,
                    self._here(),
                    "quote it if it is meant as text",
                )
            ) from None
        node = Node(
            "scalar",
            event.start_mark.index,
            event.end_mark.index,
            line,
            column,
            style=style,
            raw=event.value,
        )
        frame = self.stack[-1] if self.stack else None
        if frame is not None and isinstance(frame.container, dict) and frame.key is None:
            self._key(frame, event.value, node)
            return
        self._place(value, node)

    def _key(self, frame: _Frame, key: str, node: Node) -> None:
        path = frame.path + (key,)
        if key in frame.keys:
            self.findings.append(
                _finding(
                    "CW010",
                    f"duplicate key '{key}' (first defined on line {self.nodes[path].key_line})",
                    node.line,
                    node.column,
                    path,
                    "remove or merge one of the two entries",
                )
            )
        frame.keys.add(key)
        frame.key, frame.key_node = key, node

    def _collection(self, event: Any) -> None:
        line, column = _mark(event)
        frame = self.stack[-1] if self.stack else None
        if frame is not None and isinstance(frame.container, dict) and frame.key is None:
            raise _Reject(
                _finding("CW012", "complex mapping keys are not allowed", line, column, frame.path)
            )
        container: dict[str, Any] | list[Any] = (
            {} if isinstance(event, ev.MappingStartEvent) else []
        )
        kind = "mapping" if isinstance(container, dict) else "sequence"
        node = Node(
            kind,
            event.start_mark.index,
            event.end_mark.index,
            line,
            column,
            flow=bool(event.flow_style),
        )
        path = self._place(container, node)
        self.stack.append(_Frame(container, path, node))

    def _place(self, value: Any, node: Node) -> PathTuple:
        if not self.stack:
            self.root = value
            self.nodes[()] = node
            return ()
        frame = self.stack[-1]
        if isinstance(frame.container, dict):
            key, key_node = frame.key, frame.key_node
            assert key is not None and key_node is not None
            path = frame.path + (key,)
            node.key_start, node.key_end = key_node.start, key_node.end
            node.key_line, node.key_column = key_node.line, key_node.column
            if path not in self.nodes or key not in frame.container:
                frame.container[key] = value
                self.nodes[path] = node
            frame.key = frame.key_node = None
        else:
            path = frame.path + (len(frame.container),)
            frame.container.append(value)
            self.nodes[path] = node
        return path
