"""The Simulate view: baseline vs proposal per tier and scenario, with plots."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Static
from textual_plotext import PlotextPlot

from workbench.ui.widgets.tables import RowTable

VERDICT_STYLE = {"ok": "green", "at_risk": "yellow", "breach": "bold red"}

# (key in the tier figures, column label, format, lower is better)
COLUMNS: tuple[tuple[str, str, str, bool], ...] = (
    ("latency_p95_ms", "p95 ms", "{:,.0f}", True),
    ("latency_attainment", "in SLO", "{:.1%}", False),
    ("availability", "avail", "{:.2%}", False),
    ("cost_p95_usd", "cost p95", "${:.4f}", True),
    ("monthly_spend_usd", "spend/mo", "${:,.0f}", True),
)


def _fmt(fmt: str, value: Any) -> str:
    if value is None:
        return "—"
    try:
        return fmt.format(value)
    except (ValueError, TypeError):
        return str(value)


def delta_cell(fmt: str, old: Any, new: Any, lower_better: bool) -> Text:
    """`new (+Δ)` coloured by whether the change helps product teams."""
    text = Text(_fmt(fmt, new))
    if isinstance(old, int | float) and isinstance(new, int | float) and old != new:
        diff = new - old
        shown = _fmt(fmt, abs(diff))
        if shown == _fmt(fmt, 0):
            return text  # sampling noise below the shown precision: no "+0" / "−0.0%"
        good = (diff < 0) == lower_better
        sign = "+" if diff > 0 else "−"
        text.append(f" {sign}{shown}", style="green" if good else "red")
    return text


def tier_figures(result: dict[str, Any], scenario: str) -> dict[str, dict[str, Any]]:
    """{tier: figures} of one scenario of a `core.simulation.simulate` report."""
    return result.get("scenarios", {}).get(scenario, {}).get("tiers", {}) or {}


def totals(result: dict[str, Any], scenario: str) -> dict[str, Any]:
    """Totals of one scenario of a `core.simulation.simulate` report."""
    return result.get("scenarios", {}).get(scenario, {}).get("totals", {}) or {}


class SimulateView(VerticalScroll):
    """Table of figures with deltas, and two plots (latency vs SLO, cost vs cap)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._reports: tuple[Any, Any] | None = None
        self._plotted: tuple[str, str] | None = None

    def compose(self) -> ComposeResult:
        yield Static("Press s to simulate the draft against HEAD.", id="sim-title", markup=False)
        yield RowTable(id="sim-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="sim-totals")
        with Horizontal(id="sim-plots"):
            yield PlotextPlot(id="sim-latency-plot")
            yield PlotextPlot(id="sim-cost-plot")

    def on_mount(self) -> None:
        table = self.query_one("#sim-table", DataTable)
        table.add_column("tier", key="tier")
        table.add_column("scen.", key="scenario")
        for key, label, *_rest in COLUMNS:
            table.add_column(label, key=key)
        table.add_column("verdict", key="verdict")
        self.query_one("#sim-plots").display = False

    def show(self, title: str, baseline: Any, proposal: Any, tiers: list[str]) -> None:
        """Render baseline vs proposal figures for every tier and scenario."""
        self.query_one("#sim-title", Static).update(title)
        table = self.query_one("#sim-table", DataTable)
        table.clear()
        for scenario in ("normal", "peak"):
            base = tier_figures(baseline, scenario)
            prop = tier_figures(proposal, scenario)
            names = [t for t in tiers if t in prop or t in base] or sorted(set(base) | set(prop))
            for tier in names:
                b = base.get(tier, {})
                p = prop.get(tier, {})
                cells: list[Any] = [tier, scenario]
                for key, _label, fmt, lower in COLUMNS:
                    cells.append(delta_cell(fmt, b.get(key), p.get(key), lower))
                verdict = str(p.get("verdict", "—"))
                vtext = Text(verdict, style=VERDICT_STYLE.get(verdict, ""))
                old_verdict = b.get("verdict")
                if old_verdict and old_verdict != verdict:
                    vtext = Text.assemble((f"{old_verdict}→", "dim"), vtext)
                cells.append(vtext)
                table.add_row(*cells, key=f"{scenario}:{tier}")
        lines = Text()
        for scenario in ("normal", "peak"):
            bt, pt = totals(baseline, scenario), totals(proposal, scenario)
            lines.append(f"{scenario:<6} monthly spend ", style="bold")
            lines.append_text(
                delta_cell(
                    "${:,.0f}", bt.get("monthly_spend_usd"), pt.get("monthly_spend_usd"), True
                )
            )
            reserve = pt.get("reserve_ok")
            if reserve is not None:
                lines.append("   reserve ")
                lines.append(
                    "enough" if reserve else "NOT enough", "green" if reserve else "bold red"
                )
            lines.append("\n")
        self.query_one("#sim-totals", Static).update(lines)
        self._plots(baseline, proposal, tiers)

    @on(DataTable.RowHighlighted, "#sim-table")
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        key = event.row_key.value or ""
        scenario, _, tier = key.partition(":")
        if tier and self._reports is not None and (tier, scenario) != self._plotted:
            self.plot_tier(tier, scenario)

    def _plots(self, baseline: Any, proposal: Any, tiers: list[str]) -> None:
        self._reports = (baseline, proposal)
        table = self.query_one("#sim-table", DataTable)
        if not table.row_count:
            return
        # plot what the cursor is on, so the highlight event redraws the same thing
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value or ""
        scenario, _, tier = key.partition(":")
        if tier:
            self.plot_tier(tier, scenario)

    def plot_tier(self, tier: str, scenario: str) -> None:
        """Latency and cost distributions of one tier (baseline vs proposal) vs SLO and cap."""
        assert self._reports is not None
        baseline, proposal = self._reports
        self._plotted = (tier, scenario)
        base = tier_figures(baseline, scenario).get(tier, {})
        prop = tier_figures(proposal, scenario).get(tier, {})
        self.query_one("#sim-plots").display = True
        for plot_id, hist_key, limit_key, title in (
            ("#sim-latency-plot", "latency_hist_ms", "latency_slo_ms", "latency ms vs p95 SLO"),
            ("#sim-cost-plot", "cost_hist_usd", "cost_cap_usd", "cost USD vs cap"),
        ):
            widget = self.query_one(plot_id, PlotextPlot)
            plt = widget.plt
            plt.clear_data()
            plt.clear_figure()
            for label, fig, color in (("baseline", base, "blue"), ("proposal", prop, "orange")):
                hist = fig.get(hist_key) or {}
                edges, counts = hist.get("edges") or [], hist.get("counts") or []
                if len(edges) == len(counts) + 1 and counts:
                    total = float(sum(counts)) or 1.0
                    centres = [(a + b) / 2 for a, b in zip(edges, edges[1:], strict=False)]
                    shares = [100.0 * c / total for c in counts]
                    plt.plot(centres, shares, label=label, color=color, marker="braille")
            limit = prop.get(limit_key)
            if isinstance(limit, int | float):
                plt.vline(float(limit), "red")
            plt.title(f"{tier} {scenario}: {title} (red)")
            plt.ylabel("% of runs")
            widget.refresh()
