"""Semantic diff of two contracts given as plain data.

The inputs are the plain dicts of `validate_text(...).data` or
`parse_yaml(...).data` (never ruamel objects). Either side may be partial or
invalid: whatever has the expected shape is compared by meaning, anything
else that differs is reported as `value-changed`, so a broken side yields a
partial diff instead of an exception.

The contract's own shape is compared by a straightforward walk: lists of
names are sets and tier ids need rename detection, which a generic structural
diff would need as much code to interpret. Free-form nested data (`x-`
extensions, unexpected values) is compared with deepdiff on plain data, so a
change deep inside an extension is named item by item.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from workbench.core.diff.levels import (
    LEVEL_RANK,
    RULES,
    SURFACES,
    check_overrides,
)
from workbench.core.findings import Finding, PathTuple, dotted
from workbench.core.paths import value_at

Bump = Literal["major", "minor", "none"]
BUMP_RANK: dict[str, int] = {"none": 0, "minor": 1, "major": 2}

# Top-level key -> surface, for the generic rules (x- keys, unknown values).
_SURFACE_OF_KEY: dict[str, str] = {
    "capability_tiers": "capability",
    "reliability": "reliability",
    "governance": "governance",
    "economics": "economics",
    "support": "support",
}

# false < conditional < true: how much human review a tier demands
_CHECKPOINT_RANK: dict[object, int] = {False: 0, "conditional": 1, True: 2}


@dataclass(frozen=True)
class Change:
    """One semantic change: what moved, how it hurts product teams, who signs off."""

    rule: str
    surface: str
    tier: str | None
    path: str
    old: Any
    new: Any
    level: str
    sign_off: str
    message: str

    def to_json(self) -> dict[str, Any]:
        """The change object of DESIGN §7's diff JSON."""
        return {
            "rule": self.rule,
            "surface": self.surface,
            "tier": self.tier,
            "path": self.path,
            "old": _json_safe(self.old),
            "new": _json_safe(self.new),
            "level": self.level,
            "sign_off": self.sign_off,
            "message": self.message,
        }


@dataclass
class DiffResult:
    """All changes in deterministic order, the suggested bump, and findings."""

    changes: list[Change]
    suggested_bump: Bump
    findings: list[Finding] = field(default_factory=list)
    base_version: str | None = None
    target_version: str | None = None

    def counts(self) -> dict[str, int]:
        """Number of changes per level, every level present (0 when none)."""
        counts = {level: 0 for level in LEVEL_RANK}
        for change in self.changes:
            counts[change.level] += 1
        return counts

    def has_level(self, level: str) -> bool:
        """True when a change at `level` or more severe is present."""
        limit = LEVEL_RANK[level]
        return any(LEVEL_RANK[c.level] <= limit for c in self.changes)

    def main_change(self) -> Change | None:
        """The most severe change (first in output order among equals)."""
        counted = [c for c in self.changes if RULES[c.rule].counts_for_bump] or self.changes
        if not counted:
            return None
        return min(counted, key=lambda c: LEVEL_RANK[c.level])


# --------------------------------------------------------------------------- values


def _is_number(value: object) -> bool:
    """A finite int or float (bools, NaN and infinities are not SLOs or caps)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        # bounded so that arithmetic on it (x 100, relative change) stays finite
        return math.isfinite(value) and abs(value) < 1e15
    except OverflowError:  # an int too large for a float
        return False


def _same(old: object, new: object) -> bool:
    """Equal values of the same type; NaN equals NaN (so it is not a change each time)."""
    if type(old) is not type(new):
        return False
    if isinstance(old, float) and math.isnan(old) and math.isnan(new):  # type: ignore[arg-type]
        return True
    return old == new


def _json_safe(value: Any) -> Any:
    """Plain data JSON can carry: NaN and infinities become text."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, list):
        return [_json_safe(v) for v in value]
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    return value


def fmt_number(value: object) -> str:
    """A number as people write it: 1800, 99.5, 0.15 (no trailing `.0`)."""
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(round(value, 10))
    return str(value)


def fmt_money(value: object) -> str:
    """`$1.25`: dollars with cents when they are whole cents, else as written."""
    if _is_number(value):
        cents = float(value) * 100  # type: ignore[arg-type]
        if abs(cents - round(cents)) < 1e-9:
            return f"${float(value):.2f}"  # type: ignore[arg-type]
        return f"${fmt_number(value)}"
    return _fmt_value(value)


def _fmt_value(value: object) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if _is_number(value):
        return fmt_number(value)
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


_MAX_NESTED_PARTS = 6
_NESTED_KINDS = {
    "values_changed": "changed",
    "type_changes": "changed",
    "dictionary_item_added": "added",
    "iterable_item_added": "added",
    "dictionary_item_removed": "removed",
    "iterable_item_removed": "removed",
}


def _change_message(where: str, old: Any, new: Any) -> str | None:
    """`where old → new`, or, inside nested data (an `x-` block), what changed in it."""
    if not (isinstance(old, (dict, list)) and isinstance(new, type(old))):
        return f"{where} {_fmt_value(old)} → {_fmt_value(new)}"
    from deepdiff import DeepDiff  # plain data from the safe loader; never a Delta

    # lists inside extensions are compared as sets, like the contract's own lists
    tree = DeepDiff(old, new, ignore_order=True, view="tree")
    parts = []
    for kind, levels in sorted(tree.items()):
        verb = _NESTED_KINDS.get(kind)
        for level in levels:
            inner = ".".join(str(p) for p in level.path(output_format="list"))
            if verb == "changed":
                parts.append(f"{inner} {_fmt_value(level.t1)} → {_fmt_value(level.t2)}")
            elif verb == "added":
                parts.append(
                    f"+ {_fmt_value(level.t2)}"
                    + (f" at {inner}" if kind.startswith("dict") else "")
                )
            elif verb == "removed":
                parts.append(
                    f"− {_fmt_value(level.t1)}"
                    + (f" at {inner}" if kind.startswith("dict") else "")
                )
    if not parts:
        return None
    more = f"; … {len(parts) - _MAX_NESTED_PARTS} more" if len(parts) > _MAX_NESTED_PARTS else ""
    return f"{where}: {'; '.join(sorted(parts)[:_MAX_NESTED_PARTS])}{more}"


def _relative(old: object, new: object) -> str:
    """` (+14.3 %)`, or nothing when the base is zero."""
    if not (_is_number(old) and _is_number(new)) or old == 0:
        return ""
    pct = (float(new) - float(old)) / abs(float(old)) * 100  # type: ignore[arg-type]
    return f" ({pct:+.1f} %)"


def _points(old: object, new: object) -> str:
    """` (+0.4 pp)`: the difference of two percentages, in percentage points."""
    delta = round(float(new) - float(old), 6)  # type: ignore[arg-type]
    sign = "+" if delta >= 0 else "-"
    return f" ({sign}{fmt_number(abs(delta))} pp)"


def _canon(value: object) -> str:
    """A hashable, order-free key for set membership of list items."""
    if isinstance(value, str):
        return "s:" + value
    return "j:" + json.dumps(value, sort_keys=True, default=str)


def _canon_tier(entry: object) -> str:
    """A tier's content with its lists as sets, for rename detection."""

    def norm(value: object) -> object:
        if isinstance(value, list):
            return sorted({_canon(v) for v in value})
        if isinstance(value, dict):
            return {k: norm(v) for k, v in value.items()}
        return value

    return json.dumps(norm(entry), sort_keys=True, default=str)


# --------------------------------------------------------------------------- collector


@dataclass
class _Raw:
    rule: str
    path: PathTuple
    tier: str | None
    old: Any
    new: Any
    message: str
    surface: str | None = None  # generic rules take the surface of their place


class _Walker:
    """Walks both contracts and collects raw changes."""

    def __init__(
        self,
        old: Mapping[str, Any],
        new: Mapping[str, Any],
        version_texts: tuple[str | None, str | None],
    ) -> None:
        self.old = old
        self.new = new
        self.version_texts = version_texts  # as written: `1.10` is not 1.1
        self.raw: list[_Raw] = []
        # tier bookkeeping, filled by capability()
        self.pairs: list[tuple[str, str]] = []  # (old id, new id) of tiers in both
        self.added: list[str] = []
        self.removed: list[str] = []
        self.old_to_new: dict[str, str] = {}

    def add(
        self,
        rule: str,
        path: PathTuple,
        old: Any,
        new: Any,
        message: str,
        tier: str | None = None,
    ) -> None:
        self.raw.append(_Raw(rule, path, tier, old, new, message))

    # generic ---------------------------------------------------------------

    def other(self, path: PathTuple, old: Any, new: Any, tier: str | None = None) -> None:
        """A change outside the known shape: x- keys, unknown keys, wrong types."""
        if _same(old, new):
            return
        key = str(path[-1]) if path else ""
        where = dotted(path)
        surface = _SURFACE_OF_KEY.get(str(path[0]), "metadata") if path else "metadata"
        if key.startswith("x-"):
            if old is None:
                rule, message = "x-key-added", f"{where} added: {_fmt_value(new)}"
            elif new is None:
                rule, message = "x-key-removed", f"{where} removed (was {_fmt_value(old)})"
            else:
                rule, message = "x-key-changed", _change_message(where, old, new)
        else:
            rule, message = "value-changed", _change_message(where, old, new)
        if message is None:
            return  # only the order of a nested list changed: not a change
        self.raw.append(_Raw(rule, path, tier, old, new, message, surface))

    def without_extensions(
        self, path: PathTuple, old: dict[str, Any], new: dict[str, Any]
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """A tier map without its `x-` keys, which are reported as extensions, never tiers."""
        for key in _union_keys(old, new):
            if str(key).startswith("x-"):
                self.other(path + (key,), old.get(key), new.get(key))
        return (
            {k: v for k, v in old.items() if not str(k).startswith("x-")},
            {k: v for k, v in new.items() if not str(k).startswith("x-")},
        )

    def leftovers(
        self, path: PathTuple, old: Mapping[str, Any], new: Mapping[str, Any], known: set[str]
    ) -> None:
        for key in _union_keys(old, new):
            if key not in known:
                self.other(path + (key,), old.get(key), new.get(key))

    def section(self, key: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """Both sides of a top-level mapping; None (and a generic change) when not mappings."""
        old, new = self.old.get(key), self.new.get(key)
        if (old is None or isinstance(old, dict)) and (new is None or isinstance(new, dict)):
            return old or {}, new or {}
        self.other((key,), old, new)
        return None

    def name_set(
        self,
        path: PathTuple,
        old: Any,
        new: Any,
        added: str,
        removed: str,
        noun: str,
        tier: str | None = None,
    ) -> None:
        """Compare two lists of names as sets."""
        if not ((old is None or isinstance(old, list)) and (new is None or isinstance(new, list))):
            self.other(path, old, new, tier)
            return
        old_items = {_canon(v): v for v in old or []}
        new_items = {_canon(v): v for v in new or []}
        prefix = f"{tier}: " if tier else ""
        for key, value in old_items.items():
            if key not in new_items:
                self.add(
                    removed,
                    path,
                    value,
                    None,
                    f"{prefix}{noun} '{_fmt_value(value)}' removed",
                    tier,
                )
        for key, value in new_items.items():
            if key not in old_items:
                self.add(
                    added, path, None, value, f"{prefix}{noun} '{_fmt_value(value)}' added", tier
                )

    def number(
        self,
        path: PathTuple,
        old: Any,
        new: Any,
        up: str,
        down: str,
        label: str,
        unit: str,
        *,
        tier: str | None = None,
        up_word: str = "raised",
        down_word: str = "lowered",
        points: bool = False,
    ) -> None:
        """Compare two numbers: one rule for up, one for down."""
        if _same(old, new):
            return
        if not (_is_number(old) and _is_number(new)):
            self.other(path, old, new, tier)
            return
        if old == new:  # 1800 vs 1800.0: the same promise
            return
        rule, word = (up, up_word) if new > old else (down, down_word)
        delta = _points(old, new) if points else _relative(old, new)
        text = f"{label} {fmt_number(old)}{unit} → {fmt_number(new)}{unit}{delta}, {word}"
        self.add(rule, path, old, new, text, tier)

    # surfaces --------------------------------------------------------------

    def capability(self) -> None:
        sides = self.section("capability_tiers")
        if sides is None:
            return
        old, new = self.without_extensions(("capability_tiers",), *sides)
        removed = [t for t in old if t not in new]
        added = [t for t in new if t not in old]
        # A removed tier whose content reappears under an added id is a rename;
        # pair them in file order so equal contents pair deterministically.
        renamed: dict[str, str] = {}
        free = list(added)
        for old_id in removed:
            if not isinstance(old[old_id], dict) or not old[old_id]:
                continue
            content = _canon_tier(old[old_id])
            for new_id in free:
                if _canon_tier(new[new_id]) == content:
                    renamed[old_id] = new_id
                    free.remove(new_id)
                    break
        self.removed = [t for t in removed if t not in renamed]
        self.added = free
        self.old_to_new = {t: t for t in old if t in new} | renamed
        new_to_old = {n: o for o, n in self.old_to_new.items()}
        self.pairs = [(new_to_old[t], t) for t in new if t in new_to_old]

        for old_id in self.removed:
            self.add(
                "tier-removed",
                ("capability_tiers", old_id),
                old[old_id],
                None,
                f"tier {old_id} removed ({self._tier_summary(old_id, self.old)})",
                old_id,
            )
        for new_id in self.added:
            self.add(
                "tier-added",
                ("capability_tiers", new_id),
                None,
                new[new_id],
                f"tier {new_id} added ({self._tier_summary(new_id, self.new)})",
                new_id,
            )
        for old_id, new_id in renamed.items():
            self.add(
                "tier-renamed",
                ("capability_tiers", new_id),
                old_id,
                new_id,
                f"tier {old_id} renamed to {new_id} (same use cases, models and checkpoint)",
                new_id,
            )
        old_order = [self.old_to_new[t] for t in old if t in self.old_to_new]
        new_order = [t for t in new if t in new_to_old]
        if old_order != new_order:
            self.add(
                "tier-order-changed",
                ("capability_tiers",),
                old_order,
                new_order,
                f"tier order {', '.join(old_order)} → {', '.join(new_order)}",
            )
        for old_id, new_id in self.pairs:
            self._tier(old.get(old_id), new.get(new_id), new_id)

    def _tier(self, old: Any, new: Any, tier: str) -> None:
        base: PathTuple = ("capability_tiers", tier)
        if not (isinstance(old, dict) and isinstance(new, dict)):
            self.other(base, old, new, tier)
            return
        self.name_set(
            base + ("use_cases",),
            old.get("use_cases"),
            new.get("use_cases"),
            "use-case-added",
            "use-case-removed",
            "use case",
            tier,
        )
        self.name_set(
            base + ("approved_models",),
            old.get("approved_models"),
            new.get("approved_models"),
            "model-added",
            "model-removed",
            "approved model",
            tier,
        )
        key = "requires_human_checkpoint"
        o, n = old.get(key), new.get(key)
        if not _same(o, n):
            if _checkpoint_rank(o) is not None and _checkpoint_rank(n) is not None:
                stronger = _checkpoint_rank(n) > _checkpoint_rank(o)  # type: ignore[operator]
                self.add(
                    "checkpoint-stronger" if stronger else "checkpoint-weaker",
                    base + (key,),
                    o,
                    n,
                    f"{tier} human checkpoint {_fmt_value(o)} → {_fmt_value(n)}, "
                    + ("stronger" if stronger else "weaker"),
                    tier,
                )
            else:
                self.other(base + (key,), o, n, tier)
        for extra in _union_keys(old, new):
            if extra not in ("use_cases", "approved_models", key):
                self.other(base + (extra,), old.get(extra), new.get(extra), tier)

    def _tier_summary(self, tier: str, side: Mapping[str, Any]) -> str:
        entry = (side.get("capability_tiers") or {}).get(tier)
        parts: list[str] = []
        if isinstance(entry, dict):
            for key, label in (("use_cases", "use cases"), ("approved_models", "models")):
                value = entry.get(key)
                if isinstance(value, list):
                    parts.append(f"{label}: {', '.join(_fmt_value(v) for v in value)}")
            if "requires_human_checkpoint" in entry:
                parts.append(f"human checkpoint: {_fmt_value(entry['requires_human_checkpoint'])}")
        p95 = value_at(side, ("reliability", "p95_latency_ms", tier))
        if p95 is not None:
            parts.append(f"p95 {_fmt_value(p95)} ms")
        cap = value_at(side, ("economics", "max_cost_per_run_usd", tier))
        if cap is not None:
            parts.append(f"cost cap {fmt_money(cap)} per run")
        return "; ".join(parts) or "empty"

    def per_tier(
        self,
        path: PathTuple,
        old: Any,
        new: Any,
        compare: Callable[[PathTuple, Any, Any, str], None],
        set_rule: str,
        unset_rule: str,
        describe: Callable[[Any], str],
        label: str,
    ) -> None:
        """A tier-id -> value mapping, compared through the tier renames."""
        if not ((old is None or isinstance(old, dict)) and (new is None or isinstance(new, dict))):
            self.other(path, old, new)
            return
        old, new = self.without_extensions(path, old or {}, new or {})
        translated = {self.old_to_new.get(t, t): t for t in old}
        for tier in _union_keys({t: None for t in translated}, new):
            o = old.get(translated[tier]) if tier in translated else None
            n = new.get(tier)
            here = path + (tier,)
            if o is None and n is None:
                continue
            if o is None:
                if tier in self.added:
                    continue  # part of the tier-added message
                if not _is_number(n):
                    self.other(here, o, n, tier)
                    continue
                self.add(set_rule, here, None, n, f"{tier} {label} set: {describe(n)}", tier)
            elif n is None:
                if translated.get(tier, tier) in self.removed:
                    continue  # part of the tier-removed message
                if not _is_number(o):
                    self.other(here, o, n, tier)
                    continue
                self.add(
                    unset_rule, here, o, None, f"{tier} {label} removed (was {describe(o)})", tier
                )
            else:
                compare(here, o, n, tier)

    def reliability(self) -> None:
        sides = self.section("reliability")
        if sides is None:
            return
        old, new = sides
        self.per_tier(
            ("reliability", "p95_latency_ms"),
            old.get("p95_latency_ms"),
            new.get("p95_latency_ms"),
            lambda path, o, n, tier: self.number(
                path,
                o,
                n,
                "p95-latency-raised",
                "p95-latency-lowered",
                f"{tier} p95 latency SLO",
                " ms",
                tier=tier,
                up_word="relaxed",
                down_word="tightened",
            ),
            "p95-latency-set",
            "p95-latency-unset",
            lambda v: f"{fmt_number(v)} ms",
            "p95 latency SLO",
        )
        self.number(
            ("reliability", "availability_slo_percent"),
            old.get("availability_slo_percent"),
            new.get("availability_slo_percent"),
            "availability-slo-raised",
            "availability-slo-lowered",
            "availability SLO",
            " %",
            up_word="tightened",
            down_word="relaxed",
            points=True,
        )
        self.number(
            ("reliability", "policy_decision_timeout_ms"),
            old.get("policy_decision_timeout_ms"),
            new.get("policy_decision_timeout_ms"),
            "policy-timeout-raised",
            "policy-timeout-lowered",
            "policy decision timeout",
            " ms",
        )
        self.leftovers(
            ("reliability",),
            old,
            new,
            {"p95_latency_ms", "availability_slo_percent", "policy_decision_timeout_ms"},
        )

    def governance(self) -> None:
        sides = self.section("governance")
        if sides is None:
            return
        old, new = sides
        self.name_set(
            ("governance", "mandatory_controls"),
            old.get("mandatory_controls"),
            new.get("mandatory_controls"),
            "control-added",
            "control-removed",
            "mandatory control",
        )
        base: PathTuple = ("governance", "exception_process")
        o_ex, n_ex = old.get("exception_process"), new.get("exception_process")
        if (o_ex is None or isinstance(o_ex, dict)) and (n_ex is None or isinstance(n_ex, dict)):
            o_ex, n_ex = o_ex or {}, n_ex or {}
            o, n = o_ex.get("expiry_days"), n_ex.get("expiry_days")
            # 30 vs 30.0: the same promise (as for the SLOs and caps)
            if not _same(o, n) and not (_is_number(o) and _is_number(n) and o == n):
                self.add(
                    "exception-expiry-changed",
                    base + ("expiry_days",),
                    o,
                    n,
                    f"exception expiry {_fmt_value(o)} days → {_fmt_value(n)} days"
                    + _relative(o, n)
                    + _longer_shorter(o, n),
                )
            o, n = o_ex.get("approval_owner"), n_ex.get("approval_owner")
            if not _same(o, n):
                self.add(
                    "exception-owner-changed",
                    base + ("approval_owner",),
                    o,
                    n,
                    f"exception approval owner {_fmt_value(o)} → {_fmt_value(n)}",
                )
            self.leftovers(base, o_ex, n_ex, {"expiry_days", "approval_owner"})
        else:
            self.other(base, o_ex, n_ex)
        self.leftovers(("governance",), old, new, {"mandatory_controls", "exception_process"})

    def economics(self) -> None:
        sides = self.section("economics")
        if sides is None:
            return
        old, new = sides
        self.per_tier(
            ("economics", "max_cost_per_run_usd"),
            old.get("max_cost_per_run_usd"),
            new.get("max_cost_per_run_usd"),
            self._cost,
            "cost-cap-set",
            "cost-cap-unset",
            lambda v: f"{fmt_money(v)} per run",
            "cost cap",
        )
        o, n = old.get("monthly_reserve_percent"), new.get("monthly_reserve_percent")
        if not _same(o, n):
            if _is_number(o) and _is_number(n):
                if o != n:
                    self.add(
                        "reserve-changed",
                        ("economics", "monthly_reserve_percent"),
                        o,
                        n,
                        f"monthly reserve {fmt_number(o)} % → {fmt_number(n)} %{_points(o, n)}",
                    )
            else:
                self.add(
                    "reserve-changed",
                    ("economics", "monthly_reserve_percent"),
                    o,
                    n,
                    f"monthly reserve {_fmt_value(o)} → {_fmt_value(n)}",
                )
        self.leftovers(
            ("economics",), old, new, {"max_cost_per_run_usd", "monthly_reserve_percent"}
        )

    def _cost(self, path: PathTuple, o: Any, n: Any, tier: str) -> None:
        if not (_is_number(o) and _is_number(n)):
            self.other(path, o, n, tier)
            return
        if o == n:
            return
        rule, word = ("cost-cap-raised", "raised") if n > o else ("cost-cap-lowered", "lowered")
        self.add(
            rule,
            path,
            o,
            n,
            f"{tier} cost cap {fmt_money(o)} → {fmt_money(n)} per run{_relative(o, n)}, {word}",
            tier,
        )

    def support(self) -> None:
        sides = self.section("support")
        if sides is None:
            return
        old, new = sides
        o, n = old.get("incident_owner"), new.get("incident_owner")
        if not _same(o, n):
            self.add(
                "incident-owner-changed",
                ("support", "incident_owner"),
                o,
                n,
                f"incident owner {_fmt_value(o)} → {_fmt_value(n)}",
            )
        self.name_set(
            ("support", "product_owner_duties"),
            old.get("product_owner_duties"),
            new.get("product_owner_duties"),
            "duty-added",
            "duty-removed",
            "product-owner duty",
        )
        self.leftovers(("support",), old, new, {"incident_owner", "product_owner_duties"})

    def metadata(self) -> None:
        o, n = self.old.get("version"), self.new.get("version")
        if not _same(o, n) or self.version_texts[0] != self.version_texts[1]:
            old_text, new_text = (t or "(none)" for t in self.version_texts)
            self.add("version-changed", ("version",), o, n, f"version {old_text} → {new_text}")
        for key, rule, label in (
            ("owner", "owner-changed", "owner"),
            ("review_cadence", "review-cadence-changed", "review cadence"),
        ):
            o, n = self.old.get(key), self.new.get(key)
            if not _same(o, n):
                self.add(rule, (key,), o, n, f"{label} {_fmt_value(o)} → {_fmt_value(n)}")
        known = {"version", "owner", "review_cadence", *_SURFACE_OF_KEY}
        self.leftovers((), self.old, self.new, known)


def _longer_shorter(old: object, new: object) -> str:
    if _is_number(old) and _is_number(new) and old != new:
        return ", longer" if new > old else ", shorter"  # type: ignore[operator]
    return ""


def _checkpoint_rank(value: object) -> int | None:
    # bool is checked by type so that 1 / 0 never pass as true / false
    if isinstance(value, bool) or value == "conditional":
        return _CHECKPOINT_RANK[value]
    return None


def _union_keys(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """Keys of `new` in its order, then keys only in `old` in theirs."""
    return list(new) + [k for k in old if k not in new]


# --------------------------------------------------------------------------- versions

_VERSION = re.compile(r"\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?\s*\Z")


def version_text(value: object) -> str | None:
    """The contract `version` as text (bare numbers as YAML shows them), or None."""
    if value is None or isinstance(value, bool):
        return None
    if _is_number(value):
        return str(value)
    if isinstance(value, str):
        return value
    return None


def parse_version(text: str | None) -> tuple[int, int, int] | None:
    """`1.0` / `"1.2.0"` / `2` -> (major, minor, patch); None when not a version."""
    if text is None:
        return None
    match = _VERSION.match(text)
    if not match:
        return None
    major, minor, patch = (int(g) if g is not None else 0 for g in match.groups())
    return major, minor, patch


def required_bump(old: tuple[int, int, int], new: tuple[int, int, int]) -> Bump:
    """How far `new` moved beyond `old`: major, minor or none (patch counts as none)."""
    if new[0] > old[0]:
        return "major"
    if new[0] == old[0] and new[1] > old[1]:
        return "minor"
    return "none"


def bump_version(old_version_text: str, bump: str) -> str:
    """The next version text: `1.0` + minor -> `1.1`, `1.2.0` + major -> `2.0.0`.

    The number of components (and a leading `v`) is kept; `none` returns the
    text unchanged. Callers writing the result back as a bare YAML number
    must quote it when the number form is ambiguous (`1.10` reads as 1.1).
    Raises ValueError when the text is not `MAJOR[.MINOR[.PATCH]]`.
    """
    if bump not in BUMP_RANK:
        raise ValueError(f"bump must be major, minor or none (got {bump!r})")
    text = old_version_text.strip()
    match = _VERSION.match(text)
    if not match:
        raise ValueError(f"version {old_version_text!r} is not MAJOR.MINOR[.PATCH]")
    if bump == "none":
        return text
    prefix = "v" if text.startswith("v") else ""
    parts = [int(g) for g in match.groups() if g is not None]
    if bump == "major":
        parts = [parts[0] + 1] + [0] * (len(parts) - 1)
    else:
        if len(parts) == 1:
            parts.append(0)
        parts = [parts[0], parts[1] + 1] + [0] * (len(parts) - 2)
    return prefix + ".".join(str(p) for p in parts)


def _version_findings(
    old_text: str | None,
    new_text: str | None,
    bump: Bump,
    locate: Callable[[PathTuple], tuple[int, int]] | None,
) -> list[Finding]:
    line, column = locate(("version",)) if locate else (0, 0)
    old_v, new_v = parse_version(old_text), parse_version(new_text)
    findings: list[Finding] = []
    if old_v is not None and new_v is not None and new_v < old_v:
        findings.append(
            Finding(
                "version-lowered",
                "warning",
                "version",
                line,
                column,
                f"version went backwards: {old_text} → {new_text}",
            )
        )
    if bump == "none":
        return findings
    if new_v is None or old_v is None:
        side = "target" if new_v is None else "base"
        text = new_text if new_v is None else old_text
        findings.append(
            Finding(
                "version-bump-missing",
                "warning",
                "version",
                line,
                column,
                f"a {bump} bump is needed but the {side} version {text or '(missing)'!s}"
                " is not MAJOR.MINOR[.PATCH]",
                "set `version` to a MAJOR.MINOR[.PATCH] number",
            )
        )
        return findings
    if BUMP_RANK[required_bump(old_v, new_v)] < BUMP_RANK[bump]:
        expected = bump_version(old_text or "", bump)
        what = "breaking changes need" if bump == "major" else "these changes need"
        findings.append(
            Finding(
                "version-bump-missing",
                "warning",
                "version",
                line,
                column,
                f"{what} a {bump} version bump: version {old_text} → {new_text},"
                f" expected {expected} or later",
                f"set version to {expected} (or use `workbench set ... --bump auto`)",
            )
        )
    return findings


# --------------------------------------------------------------------------- entry point


def diff_contracts(
    old: Mapping[str, Any] | None,
    new: Mapping[str, Any] | None,
    *,
    overrides: Mapping[str, str] | None = None,
    old_version_text: str | None = None,
    new_version_text: str | None = None,
    locate: Callable[[PathTuple], tuple[int, int]] | None = None,
) -> DiffResult:
    """Compare two contracts (plain data) by meaning.

    `overrides` maps rule ids to levels (see `levels.load_overrides`); an
    unknown id raises `DiffConfigError`. `*_version_text` give the `version`
    scalars as written (so `1.10` is not read as 1.1); by default they come
    from the data. `locate(path) -> (line, column)` places findings in the
    target file (0, 0 without it). A side that is None or not a mapping is
    compared as an empty contract.
    """
    levels = check_overrides(overrides or {})
    old_data: Mapping[str, Any] = old if isinstance(old, Mapping) else {}
    new_data: Mapping[str, Any] = new if isinstance(new, Mapping) else {}
    old_text = old_version_text or version_text(old_data.get("version"))
    new_text = new_version_text or version_text(new_data.get("version"))
    walker = _Walker(old_data, new_data, (old_text, new_text))
    walker.capability()
    walker.reliability()
    walker.governance()
    walker.economics()
    walker.support()
    walker.metadata()

    changes = [_finish(raw, levels) for raw in walker.raw]
    changes.sort(key=_order_key(old_data, new_data, walker))

    bump: Bump = "none"
    for change in changes:
        if not RULES[change.rule].counts_for_bump:
            continue
        if change.level == "breaking":
            bump = "major"
            break
        bump = "minor"

    findings = _version_findings(old_text, new_text, bump, locate)
    return DiffResult(changes, bump, findings, old_text, new_text)


def _finish(raw: _Raw, levels: Mapping[str, str]) -> Change:
    spec = RULES[raw.rule]
    return Change(
        rule=raw.rule,
        surface=raw.surface or spec.surface,
        tier=raw.tier,
        path=dotted(raw.path),
        old=raw.old,
        new=raw.new,
        level=levels.get(raw.rule, spec.level),
        sign_off=spec.sign_off,
        message=raw.message,
    )


def _order_key(
    old: Mapping[str, Any], new: Mapping[str, Any], walker: _Walker
) -> Callable[[Change], tuple[Any, ...]]:
    """Surface order, then the tier order of the target file, then path."""
    order: dict[str, int] = {}
    new_tiers = new.get("capability_tiers")
    old_tiers = old.get("capability_tiers")
    for tiers in (new_tiers, old_tiers):
        if isinstance(tiers, dict):
            for tier in tiers:
                order.setdefault(tier, len(order))
    surface_rank = {s: i for i, s in enumerate(SURFACES)}

    def key(change: Change) -> tuple[Any, ...]:
        tier_rank = -1 if change.tier is None else order.get(change.tier, len(order))
        return (
            surface_rank[change.surface],
            tier_rank,
            change.tier or "",
            change.path,
            LEVEL_RANK[change.level],
            change.rule,
            _canon(change.old),
            _canon(change.new),
        )

    return key
