"""Plain-text report of a baseline-vs-proposal simulation (no terminal styling here).

`text_lines` returns lines as lists of `(text, tag)` segments; the tag (or
None) says what a segment is — a verdict (`ok`, `at_risk`, `breach`), a change
for the worse or better (`worse`, `better`), a `heading`, or `dim` — so the CLI
and the app can colour them their own way. `plain` joins them into strings.
"""

from __future__ import annotations

from typing import Any

from workbench.core.safe_text import terminal_safe
from workbench.core.simulation.model import SCENARIOS

Segment = tuple[str, str | None]
Line = list[Segment]

SCENARIO_TITLES = {
    "normal": "NORMAL LOAD (average hour)",
    "peak": "PEAK LOAD (peak hour: every tier at its peak_to_average)",
}


def plain(lines: list[Line]) -> list[str]:
    """The lines as plain strings."""
    return ["".join(text for text, _ in line) for line in lines]


def usd(value: float | None) -> str:
    """`$1,234`, `$12.35`, `$0.137`, `$0.10`, `$0.000256`: enough digits to see a small cost."""
    if value is None:
        return "n/a"
    size = abs(value)
    sign = "-" if value < 0 else ""
    if size >= 100:
        return f"{sign}${size:,.0f}"
    if size >= 1 or size == 0:
        return f"{sign}${size:,.2f}"
    if size < 1e-9:
        return "$0"
    text = f"{size:.3g}"
    if "e" in text:
        text = f"{size:.10f}".rstrip("0")
    decimals = len(text.partition(".")[2])
    return f"{sign}${text}{'0' * max(0, 2 - decimals)}" if "." in text else f"{sign}${size:.2f}"


def usd_delta(old: float | None, new: float | None) -> str:
    """Infracost style: `+$0.12 ($0.31 → $0.43)`."""
    if old is None or new is None:
        return f"{usd(old)} → {usd(new)}"
    diff = new - old
    sign = "+" if diff >= 0 else "-"
    amount = usd(abs(diff)) if diff else "$0"
    return f"{sign}{amount} ({usd(old)} → {usd(new)})"


def ms(value: float | None) -> str:
    """`3,410` (milliseconds, whole) or `∞`/`n/a`."""
    return "n/a" if value is None else f"{value:,.0f}"


def pct(value: float | None, digits: int = 2) -> str:
    """A share in [0, 1] as `99.82 %`."""
    return "n/a" if value is None else f"{value * 100:.{digits}f} %"


def _change_tag(old: float | None, new: float | None, *, higher_is_worse: bool) -> str | None:
    if old is None or new is None or old == new:
        return None
    worse = new > old if higher_is_worse else new < old
    return "worse" if worse else "better"


def _signed_ms(old: float | None, new: float | None) -> str:
    if old is None or new is None:
        return ""
    diff = round(new - old)
    return f"  {'+' if diff >= 0 else '-'}{abs(diff):,} ms"


def _verdict(old: str | None, new: str | None) -> Line:
    if old is None:
        return [("new tier: ", "dim"), (str(new), new)]
    if new is None:
        return [(str(old), old), (" → removed", "dim")]
    if old == new:
        return [(new, new)]
    return [(old, old), (" → ", None), (new, new)]


def _tier_lines(tier: str, old: dict[str, Any] | None, new: dict[str, Any] | None) -> list[Line]:
    row = new or old or {}
    b = old or {}
    p = new or {}
    lines: list[Line] = []
    head: Line = [(f"  {tier}  ", "heading"), *_verdict(b.get("verdict"), p.get("verdict"))]
    reasons = p.get("verdict_reasons") or []
    if reasons:
        head.append((f"  ({'; '.join(reasons)})", "dim"))
    lines.append(head)
    if old is not None and new is not None and _same(old, new):
        lines.append([("    no change", "dim")])
    slo = row.get("latency_slo_ms")
    b95, p95 = b.get("latency_p95_ms"), p.get("latency_p95_ms")
    lines.append(
        [
            ("    latency  ", None),
            (
                f"p95 {ms(b95)} → {ms(p95)} ms (SLO {ms(slo)})",
                _change_tag(b95, p95, higher_is_worse=True),
            ),
            (_signed_ms(b95, p95), _change_tag(b95, p95, higher_is_worse=True)),
            (
                f"   p50 {ms(b.get('latency_p50_ms'))} → {ms(p.get('latency_p50_ms'))} ms"
                f"   p99 {ms(b.get('latency_p99_ms'))} → {ms(p.get('latency_p99_ms'))} ms"
                f"   within SLO {pct(b.get('latency_attainment'), 1)} → "
                f"{pct(p.get('latency_attainment'), 1)}",
                "dim",
            ),
        ]
    )
    bc, pc = b.get("cost_mean_usd"), p.get("cost_mean_usd")
    lines.append(
        [
            ("    cost     ", None),
            (f"{usd_delta(bc, pc)} per run", _change_tag(bc, pc, higher_is_worse=True)),
            (
                f" (cap {usd(row.get('cost_cap_usd'))})   p95 {usd(b.get('cost_p95_usd'))} → "
                f"{usd(p.get('cost_p95_usd'))}   blocked {pct(b.get('blocked_share'))} → "
                f"{pct(p.get('blocked_share'))}",
                "dim",
            ),
        ]
    )
    ba, pa = b.get("availability"), p.get("availability")
    lines.append(
        [
            ("    avail.   ", None),
            (f"{pct(ba, 3)} → {pct(pa, 3)}", _change_tag(ba, pa, higher_is_worse=False)),
            (f" (SLO {pct(row.get('availability_slo'))})", "dim"),
        ]
    )
    bs, ps = b.get("monthly_spend_usd"), p.get("monthly_spend_usd")
    br, pr = b.get("reviews_per_month"), p.get("reviews_per_month")
    lines.append(
        [
            ("    spend    ", None),
            (f"{usd_delta(bs, ps)} / month", _change_tag(bs, ps, higher_is_worse=True)),
            (f"   reviews {_count(br)} → {_count(pr)} / month", "dim"),
        ]
    )
    return lines


def _count(value: float | None) -> str:
    return "n/a" if value is None else f"{value:,.0f}"


_FIGURES = (
    "latency_p50_ms",
    "latency_p95_ms",
    "latency_p99_ms",
    "latency_attainment",
    "availability",
    "cost_mean_usd",
    "cost_p95_usd",
    "blocked_share",
    "monthly_spend_usd",
    "reviews_per_month",
    "verdict",
)


def _same(old: dict[str, Any], new: dict[str, Any]) -> bool:
    return all(old.get(k) == new.get(k) for k in _FIGURES)


def _model_line(old: dict[str, Any], new: dict[str, Any]) -> Line:
    line: Line = [("  models   ", "heading")]
    first = True
    for alias in list(old) + [a for a in new if a not in old]:
        b, p = old.get(alias), new.get(alias)
        bu = b["utilization"] if b else None
        pu = p["utilization"] if p else None
        if not bu and not pu:
            continue
        if not first:
            line.append(("   ", None))
        first = False
        tag = "breach" if (p and p["saturated"]) else _change_tag(bu, pu, higher_is_worse=True)
        line.append((f"{alias} {pct(bu, 1)} → {pct(pu, 1)}", tag))
        pw = p["p_wait"] if p else None
        if pw is not None and pw >= 1e-4:
            line.append((f" (P(wait) {pct(pw, 1)})", "dim"))
    if first:
        line.append(("no traffic", "dim"))
    else:
        line.append(("   (utilisation of the provider quota)", "dim"))
    return line


def _totals_line(old: dict[str, Any], new: dict[str, Any]) -> Line:
    bs, ps = old["monthly_spend_usd"], new["monthly_spend_usd"]
    return [
        ("  totals   ", "heading"),
        (f"spend {usd_delta(bs, ps)} / month", _change_tag(bs, ps, higher_is_worse=True)),
        (
            f"   {usd(old['spend_per_hour_usd'])} → {usd(new['spend_per_hour_usd'])} / hour"
            f"   reviews {_count(old['reviews_per_month'])} → "
            f"{_count(new['reviews_per_month'])} / month",
            "dim",
        ),
    ]


def _reserve_lines(result: dict[str, Any]) -> list[Line]:
    lines: list[Line] = []
    for label, key in (("baseline", "baseline"), ("proposal", "proposal")):
        t = result[key]["scenarios"]["normal"]["totals"]
        verdict = "ok" if t["reserve_ok"] else "breach"
        lines.append(
            [
                (f"  {label:<9}", "heading"),
                (
                    f"a peak month (×{t['peak_month_factor']:g}) costs {usd(t['peak_month_spend_usd'])}:"
                    f" {usd(t['reserve_needed_usd'])} over the average month, reserve "
                    f"{t['reserve_percent']:g} % = {usd(t['reserve_usd'])}  ",
                    None,
                ),
                ("enough" if t["reserve_ok"] else "NOT ENOUGH", verdict),
            ]
        )
    funding = result.get("funding")
    if funding:
        lines.append(
            [
                ("  funding  ", "heading"),
                (
                    f"proposal's peak month {usd(funding['proposal_peak_month_usd'])} vs "
                    f"{usd(funding['funded_usd'])} funded today (baseline spend + its reserve)  ",
                    None,
                ),
                (
                    "fits" if funding["fits"] else "DOES NOT FIT",
                    "ok" if funding["fits"] else "breach",
                ),
            ]
        )
    return lines


def text_lines(
    result: dict[str, Any],
    *,
    baseline_label: str = "baseline",
    proposal_label: str = "proposal",
    notices: list[str] | None = None,
) -> list[Line]:
    """The text report of `compare()`'s result: per scenario and tier, baseline → proposal."""
    base, prop = result["baseline"], result["proposal"]
    lines: list[Line] = [
        [("Impact simulation: ", "heading"), (f"{baseline_label} → {proposal_label}", None)],
        [
            (
                f"{base['runs']:,} simulated runs per tier and scenario, seed {base['seed']}; "
                "latency over completed runs, cost over runs not blocked",
                "dim",
            )
        ],
    ]
    for notice in notices or []:
        lines.append([(f"note: {notice}", "dim")])
    for name in SCENARIOS:
        b = base["scenarios"][name]
        p = prop["scenarios"][name]
        lines.append([])
        lines.append([(SCENARIO_TITLES[name], "heading")])
        for tier in list(b["tiers"]) + [t for t in p["tiers"] if t not in b["tiers"]]:
            lines.extend(_tier_lines(tier, b["tiers"].get(tier), p["tiers"].get(tier)))
        lines.append(_model_line(b["models"], p["models"]))
        lines.append(_totals_line(b["totals"], p["totals"]))
    lines.append([])
    lines.append([("RESERVE", "heading")])
    lines.extend(_reserve_lines(result))
    # model aliases and labels come from files: no terminal control through them
    return [[(terminal_safe(text), tag) for text, tag in line] for line in lines]
