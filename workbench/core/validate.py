"""Validate a contract: safe parse → schema → rules, as located findings."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from workbench.core.contract_model import Contract, allowed_keys, strip_extensions
from workbench.core.findings import Finding, PathTuple, dotted, has_errors, sort_findings
from workbench.core.rules import RULES, RuleContext
from workbench.core.schema_findings import TYPE_WORDS, SchemaRuleIds, schema_finding, show_value
from workbench.core.yaml_safe import ParsedYaml, parse_yaml

# Rule ids of schema findings.
SCHEMA_RULES: dict[str, str] = {
    "CW020": "a value has the wrong type",
    "CW021": "a required key is missing",
    "CW022": "an unknown key (keys starting with x- are allowed)",
    "CW023": "a value is out of range or not one of the allowed values",
    "CW024": 'a boolean written as yes/on/1/"true" (write true, false or conditional)',
}
_IDS = SchemaRuleIds(wrong_type="CW020", missing="CW021", unknown="CW022", bad_value="CW023")
_BOOLISH = {"yes", "no", "on", "off", "y", "n", "true", "false", "True", "False", "TRUE", "FALSE"}


@dataclass
class Validation:
    """The outcome of validating one contract text."""

    parsed: ParsedYaml
    data: dict[str, Any] | None
    contract: Contract | None
    findings: list[Finding]

    @property
    def valid(self) -> bool:
        """True when there is no error finding (warnings allowed)."""
        return self.data is not None and not has_errors(self.findings)

    def raw(self, path: PathTuple) -> str | None:
        """The scalar text as written at `path` (e.g. `1.0` for a bare version)."""
        node = self.parsed.nodes.get(path)
        return node.raw if node is not None and node.kind == "scalar" else None

    @property
    def version_text(self) -> str | None:
        """The contract's `version` exactly as written."""
        return self.raw(("version",))


def validate_text(
    source: str | bytes,
    *,
    catalog: set[str] | frozenset[str] | None = None,
    fast: bool = True,
    filename: str | None = None,
) -> Validation:
    """Parse and validate contract text; never raises for bad input."""
    parsed = parse_yaml(source, fast=fast)
    if parsed.data is None:
        return Validation(parsed, None, None, _with_file(parsed.findings, filename))
    data: dict[str, Any] = parsed.data
    findings: list[Finding] = []
    contract: Contract | None = None
    try:
        contract = Contract.model_validate(strip_extensions(data))
    except ValidationError as exc:
        findings.extend(_schema_findings(exc, data, parsed))
    findings.extend(_rule_findings(data, parsed, catalog))
    return Validation(
        parsed, data, contract, _with_file(sort_findings(_dedupe(findings)), filename)
    )


def validate_file(path: Path, *, catalog: set[str] | frozenset[str] | None = None) -> Validation:
    """Validate a contract file; an unreadable file becomes a finding."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        parsed = ParsedYaml(None, {}, [])
        finding = Finding(
            "CW000", "error", "", 1, 1, f"cannot read file: {exc.strerror or exc}", file=str(path)
        )
        return Validation(parsed, None, None, [finding])
    return validate_text(raw, catalog=catalog, filename=str(path))


def _with_file(findings: list[Finding], filename: str | None) -> list[Finding]:
    if filename is None:
        return findings
    return [
        Finding(f.rule, f.severity, f.path, f.line, f.column, f.message, f.hint, filename)
        for f in findings
    ]


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen: set[tuple[str, str, str]] = set()
    unique = []
    for f in findings:
        key = (f.rule, f.path, f.message)
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique


def _rule_findings(
    data: dict[str, Any], parsed: ParsedYaml, catalog: set[str] | frozenset[str] | None
) -> list[Finding]:
    def raw(path: PathTuple) -> str | None:
        node = parsed.nodes.get(path)
        return node.raw if node is not None else None

    ctx = RuleContext(data, raw, frozenset(catalog) if catalog is not None else None)
    found = []
    for rule in RULES.values():
        for hit in rule.check(ctx):
            line, column = parsed.position(hit.path, key=hit.at_key)
            found.append(
                Finding(
                    rule.id,
                    hit.severity or rule.severity,
                    dotted(hit.path),
                    line,
                    column,
                    hit.message,
                    hint=hit.hint,
                )
            )
    return found


def _schema_findings(
    exc: ValidationError, data: dict[str, Any], parsed: ParsedYaml
) -> list[Finding]:
    findings = []
    for error in exc.errors(include_url=False):
        loc = tuple(p for p in error["loc"] if p != "[key]")
        path = _data_path(loc, data)
        findings.append(_schema_finding(error, path, parsed))
    return findings


def _data_path(loc: tuple[Any, ...], data: Any) -> PathTuple:
    """Trim pydantic's union branch labels (`bool`, `literal[...]`) from a location."""
    path: list[str | int] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node:
            path.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            path.append(part)
            node = node[part]
        elif (
            isinstance(node, dict) and isinstance(part, str) and not any(c in part for c in "[]()")
        ):
            path.append(part)  # a missing key, or a key that is not there yet
            node = None
    return tuple(path)


def _schema_finding(error: Any, path: PathTuple, parsed: ParsedYaml) -> Finding:
    value = error.get("input")
    if path and path[-1] == "requires_human_checkpoint":
        line, column = parsed.position(path)
        if _boolish(value):
            return Finding(
                "CW024",
                "error",
                dotted(path),
                line,
                column,
                f"{show_value(value)} is not a boolean; requires_human_checkpoint takes true, false or conditional",
                "write true or false without quotes (YAML 1.2 reads yes/on as strings)",
            )
        if error["type"] == "literal_error" or error["type"] in TYPE_WORDS:
            return schema_finding(
                error, path, parsed, _IDS, allowed_keys, expected="true, false or conditional"
            )
    if path == ("version",) and error["type"] in TYPE_WORDS:
        # one finding, not one per branch of `str | float`
        return schema_finding(
            error, path, parsed, _IDS, allowed_keys, expected='a version such as "1.2"'
        )
    return schema_finding(error, path, parsed, _IDS, allowed_keys)


def _boolish(value: Any) -> bool:
    return (isinstance(value, str) and value in _BOOLISH) or (
        isinstance(value, int) and not isinstance(value, bool) and value in (0, 1)
    )
