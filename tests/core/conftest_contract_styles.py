"""Contracts written in varied YAML styles, for the edit and `workbench set` tests.

`render(data, style, rnd)` writes plain contract data as YAML text in a given
style (indentation, sequence offset, quoting, flow/block, comments, blank
lines, CRLF, final newline, a `---` start line under a header comment). The
choices a style leaves open ("mixed") are drawn from `rnd`, so hypothesis can
explore them. `contract_data()` is a strategy for contract-shaped data with
non-ASCII and long texts; `STYLE_VARIANTS` names one fixed style per variant
of issue 2, point 6.

Imported explicitly (not a pytest conftest): `from conftest_contract_styles import ...`.
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass, replace
from typing import Any

from hypothesis import strategies as st

from workbench.core.yaml_safe import resolve_plain

COMMENTS = [
    "reviewed by the council",
    "à revoir — trimestriel",
    "see runbook §4.2",
    "TODO: tighten after Q3 " + "(a long comment that runs well past eighty characters) " * 2,
    "# double hash",
]

USE_CASES = [
    "low-risk automation",
    "content summarization",
    "engineering support",
    "customer operations",
    "résumé screening (EU only)",
    "Übersetzung interner Dokumente",
    "客服回复草稿",
    "incident summaries: first draft",
    "ops #2 follow-ups",
    "it's fine",
    'say "hello"',
    "a, b and c",
    "yes",
    "1.10",
    "a very long use case that describes in detail what the tier is allowed to do, "
    "well beyond eighty characters on one line",
]
MODELS = ["fast", "balanced", "advanced", "advanced-eu", "reasoning-xl", "mini_2"]
TIER_IDS = ["tier_1", "tier_2", "tier_3", "tier_4", "sandbox", "autonomous-actions"]
CONTROLS = [
    "data_classification",
    "prompt_and_tool_audit_log",
    "budget_policy_enforcement",
    "model_and_tool_allowlist",
    "pii_redaction_before_logging",
    "contrôle_humain",
]
DUTIES = ["provide_service_runbook", "define_fallback_mode", "join_incident_channel_for_tier_3"]


@dataclass(frozen=True)
class Style:
    """How to write a contract. "mixed" choices are drawn per element."""

    indent: int = 2
    seq_offset: int = 2  # columns between a key and the dash of its block list
    quotes: str = "mixed"  # plain | single | double | mixed
    lists: str = "mixed"  # flow | block | mixed
    maps: str = "mixed"  # flow | block | mixed (only maps of scalars/lists can be flow)
    comments: bool = True  # full-line and inline comments
    blank_lines: bool = True
    crlf: bool = False
    final_newline: bool = True
    doc_start: bool = False  # header comment, then a `---` line
    floats_fixed: bool = True  # write 8.5 as 8.50 where the data allows


STYLE_VARIANTS: dict[str, Style] = {
    "double-quotes": Style(quotes="double", comments=False, blank_lines=False),
    "single-quotes": Style(quotes="single", comments=False, blank_lines=False),
    "no-quotes": Style(quotes="plain", comments=False, blank_lines=False),
    "flow-lists-and-maps": Style(lists="flow", maps="flow"),
    "block-lists-and-maps": Style(lists="block", maps="block"),
    "indent-2": Style(indent=2, seq_offset=2, lists="block", maps="block"),
    "indent-4": Style(indent=4, seq_offset=2, lists="block", maps="block"),
    "seq-offset-0": Style(indent=2, seq_offset=0, lists="block"),
    "seq-offset-2": Style(indent=4, seq_offset=2, lists="block"),
    "comments": Style(comments=True, blank_lines=False),
    "blank-lines": Style(comments=False, blank_lines=True),
    "crlf": Style(crlf=True),
    "no-final-newline": Style(final_newline=False),
    "doc-start-under-header": Style(doc_start=True),
    "crlf-no-final-newline-doc-start": Style(crlf=True, final_newline=False, doc_start=True),
}


def plain_ok(text: str, flow: bool) -> bool:
    """True when `text` can be written as a plain scalar and read back as the same string."""
    if not text or text != text.strip() or resolve_plain(text) != text:
        return False
    if not re.fullmatch(r"[^\W\d_][\w .,()/'\"§#:-]*", text):
        return False
    if ": " in text or " #" in text or text.endswith(":"):
        return False
    return not (flow and any(c in text for c in ",[]{}"))


class _Writer:
    def __init__(self, style: Style, rnd: random.Random) -> None:
        self.style = style
        self.rnd = rnd
        self.lines: list[str] = []

    def pick(self, setting: str, options: tuple[str, ...]) -> str:
        return self.rnd.choice(options) if setting == "mixed" else setting

    def inline_comment(self) -> str:
        if self.style.comments and self.rnd.random() < 0.3:
            return " " * self.rnd.choice((1, 2, 4)) + "# " + self.rnd.choice(COMMENTS)
        return ""

    def full_comment(self, column: int) -> None:
        if self.style.comments and self.rnd.random() < 0.25:
            self.lines.append(" " * self.rnd.choice((column, 0)) + "# " + self.rnd.choice(COMMENTS))

    def blank(self) -> None:
        if self.style.blank_lines and self.rnd.random() < 0.4:
            self.lines.append("")

    def key(self, key: str) -> str:
        if plain_ok(key, flow=True) and self.rnd.random() < 0.9:
            return key
        return '"' + key + '"'

    def scalar(self, value: Any, flow: bool) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        if value is None:
            return "null"
        if isinstance(value, int):
            return str(value)
        if isinstance(value, float):
            fixed = f"{value:.2f}"
            if self.style.floats_fixed and float(fixed) == value and self.rnd.random() < 0.5:
                return fixed
            return repr(value)
        quotes = self.pick(self.style.quotes, ("plain", "single", "double"))
        if quotes == "plain" and plain_ok(value, flow):
            return value
        if quotes == "single" or (quotes == "plain" and self.rnd.random() < 0.5):
            return "'" + value.replace("'", "''") + "'"
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'

    def flow(self, value: Any) -> str:
        if isinstance(value, list):
            pad = self.rnd.choice(("", " "))
            return "[" + pad + ", ".join(self.flow(v) for v in value) + pad + "]"
        if isinstance(value, dict):
            return "{" + ", ".join(f"{self.key(k)}: {self.flow(v)}" for k, v in value.items()) + "}"
        return self.scalar(value, flow=True)

    def mapping(self, data: dict[str, Any], column: int, top: bool = False) -> None:
        pad = " " * column
        for key, value in data.items():
            if top:
                self.blank()
            self.full_comment(column)
            head = f"{pad}{self.key(key)}:"
            flowable = isinstance(value, dict) and all(
                not isinstance(v, dict) for v in value.values()
            )
            if isinstance(value, dict) and not (
                flowable and self.pick(self.style.maps, ("flow", "block")) == "flow"
            ):
                self.lines.append(head + self.inline_comment())
                self.mapping(value, column + self.style.indent)
            elif (
                isinstance(value, list)
                and value
                and (self.pick(self.style.lists, ("flow", "block")) == "block")
            ):
                self.lines.append(head + self.inline_comment())
                dash = " " * (column + self.style.seq_offset)
                for item in value:
                    self.full_comment(len(dash))
                    self.lines.append(
                        f"{dash}- {self.scalar(item, flow=False)}{self.inline_comment()}"
                    )
            elif isinstance(value, (dict, list)):
                self.lines.append(f"{head} {self.flow(value)}{self.inline_comment()}")
            else:
                self.lines.append(f"{head} {self.scalar(value, flow=False)}{self.inline_comment()}")


def render(data: dict[str, Any], style: Style, rnd: random.Random | None = None) -> str:
    """Write contract data as YAML text in `style`."""
    writer = _Writer(style, rnd or random.Random(0))
    if style.doc_start:
        writer.lines += ["# contract.yml — header comment above the start line", "---"]
    elif style.comments:
        writer.lines.append("# contract.yml")
    writer.mapping(data, 0, top=True)
    newline = "\r\n" if style.crlf else "\n"
    text = newline.join(writer.lines)
    return text + newline if style.final_newline else text


def seed_data() -> dict[str, Any]:
    """The seed contract's data (what sample_contracts/ai-internal-developer-contract.yml holds)."""
    return {
        "version": 1.0,
        "owner": "ai-platform",
        "review_cadence": "quarterly",
        "capability_tiers": {
            "tier_1": {
                "use_cases": ["low-risk automation", "content summarization"],
                "approved_models": ["fast"],
                "requires_human_checkpoint": False,
            },
            "tier_2": {
                "use_cases": ["engineering support", "customer operations"],
                "approved_models": ["balanced", "advanced"],
                "requires_human_checkpoint": "conditional",
            },
            "tier_3": {
                "use_cases": ["high-impact changes", "regulated workflows"],
                "approved_models": ["advanced"],
                "requires_human_checkpoint": True,
            },
        },
        "reliability": {
            "p95_latency_ms": {"tier_1": 1800, "tier_2": 3500, "tier_3": 6000},
            "availability_slo_percent": 99.5,
            "policy_decision_timeout_ms": 300,
        },
        "governance": {
            "mandatory_controls": CONTROLS[:4],
            "exception_process": {"approval_owner": "platform-duty-manager", "expiry_days": 30},
        },
        "economics": {
            "max_cost_per_run_usd": {"tier_1": 0.15, "tier_2": 1.25, "tier_3": 8.5},
            "monthly_reserve_percent": 15,
        },
        "support": {
            "incident_owner": "ai-platform-oncall",
            "product_owner_duties": DUTIES,
        },
        "x-notes": {"reviewers": ["Zoë", "José Núñez"], "ticket": "PLAT-1234"},
    }


@st.composite
def contract_data(draw: st.DrawFn) -> dict[str, Any]:
    """Contract-shaped data (not necessarily valid) with varied texts and numbers."""
    tiers = draw(st.lists(st.sampled_from(TIER_IDS), min_size=1, max_size=4, unique=True))
    texts = st.sampled_from(USE_CASES)
    capability_tiers = {
        t: {
            "use_cases": draw(st.lists(texts, min_size=1, max_size=4, unique=True)),
            "approved_models": draw(
                st.lists(st.sampled_from(MODELS), min_size=1, max_size=3, unique=True)
            ),
            "requires_human_checkpoint": draw(st.sampled_from([True, False, "conditional"])),
        }
        for t in tiers
    }
    money = st.sampled_from([0.05, 0.15, 1.25, 8.5, 15.0, 40.0, 0.1, 2.0])
    return {
        "version": draw(st.sampled_from([1.0, "1.2", "2.4.1", 3.1])),
        "owner": draw(st.sampled_from(["ai-platform", "équipe-plateforme", "AI Platform Team"])),
        "review_cadence": draw(st.sampled_from(["monthly", "quarterly"])),
        "capability_tiers": capability_tiers,
        "reliability": {
            "p95_latency_ms": {t: draw(st.integers(100, 60000)) for t in tiers},
            "availability_slo_percent": draw(st.sampled_from([99.5, 99.9, 95.0, 99.95])),
            "policy_decision_timeout_ms": draw(st.integers(10, 500)),
        },
        "governance": {
            "mandatory_controls": draw(
                st.lists(st.sampled_from(CONTROLS), min_size=1, max_size=6, unique=True)
            ),
            "exception_process": {
                "approval_owner": draw(texts),
                "expiry_days": draw(st.integers(1, 365)),
            },
        },
        "economics": {
            "max_cost_per_run_usd": {t: draw(money) for t in tiers},
            "monthly_reserve_percent": draw(st.sampled_from([0, 15, 20, 12.5])),
        },
        "support": {
            "incident_owner": draw(texts),
            "product_owner_duties": draw(
                st.lists(st.sampled_from(DUTIES), min_size=1, unique=True)
            ),
        },
        "x-notes": {"reviewers": ["Zoë", "José Núñez"], "ticket": draw(texts)},
    }


@st.composite
def styles(draw: st.DrawFn) -> Style:
    """Any combination of the style choices."""
    return Style(
        indent=draw(st.sampled_from([2, 4])),
        seq_offset=draw(st.sampled_from([0, 2])),
        quotes=draw(st.sampled_from(["plain", "single", "double", "mixed"])),
        lists=draw(st.sampled_from(["flow", "block", "mixed"])),
        maps=draw(st.sampled_from(["flow", "block", "mixed"])),
        comments=draw(st.booleans()),
        blank_lines=draw(st.booleans()),
        crlf=draw(st.booleans()),
        final_newline=draw(st.booleans()),
        doc_start=draw(st.booleans()),
    )


# New scalar values for an edit: texts that need quoting, numbers, booleans, null.
new_values = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "conditional",
            "yes",
            "on",
            "null",
            "~",
            "1.0",
            "0x1F",
            "- a",
            "a: b",
            "#x",
            "[a]",
            "{a: 1}",
            "a, b",
            "'q'",
            '"dq"',
            "",
            " lead",
            "trail ",
            "ünï©ødé — ✓",
            "x" * 120,
            "line\nbreak",
            "tab\there",
        ]
    ),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False),
    st.booleans(),
    st.none(),
)


def same(a: Any, b: Any) -> bool:
    """Deep equality that tells 1 from 1.0 from True (the tests' own, not the code's)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return bool(a == b)


def with_value(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    """A deep copy of `data` with `path` set to `value`."""
    if not path:
        return value
    if isinstance(data, dict):
        out = dict(data)
    else:
        out = list(data)
    out[path[0]] = with_value(data[path[0]], path[1:], value)
    return out


__all__ = [
    "STYLE_VARIANTS",
    "Style",
    "contract_data",
    "new_values",
    "plain_ok",
    "render",
    "replace",
    "same",
    "seed_data",
    "styles",
    "with_value",
]
