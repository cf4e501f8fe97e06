"""The Field history view: one value over all versions, as a step chart and a list."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static
from textual_plotext import PlotextPlot

from workbench.core.git.history import FieldChange
from workbench.ui.fields import show_value
from workbench.ui.session import DRAFT
from workbench.ui.widgets.tables import RowTable


class FieldHistoryView(Vertical):
    """Chart of a numeric field over versions (oldest left) and the commits that changed it."""

    def compose(self) -> ComposeResult:
        yield Static(
            "Press h on a matrix cell or term to follow that value through history.",
            id="fh-title",
            markup=False,
        )
        yield PlotextPlot(id="fh-plot")
        yield RowTable(id="fh-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one("#fh-table", DataTable)
        table.add_column("commit", key="commit", width=8)
        table.add_column("date", key="date", width=16)
        table.add_column("value", key="value")
        table.add_column("subject", key="subject")
        self.query_one("#fh-plot").display = False

    def show(
        self,
        dotted: str,
        points: list[FieldChange],
        scanned: int,
        ordinals: dict[str, int] | None = None,
    ) -> None:
        """`points`: changes from `core.git.history.field_history`, newest first;
        `ordinals` place each commit on the x axis (its version number, oldest = 1)."""
        self.query_one("#fh-title", Static).update(
            # the oldest point is where the value first appeared, not a change
            f"{dotted}: "
            + (f"changed {len(points) - 1} time(s)" if len(points) > 1 else "never changed")
            + f" over {scanned} version(s)"
        )
        table = self.query_one("#fh-table", DataTable)
        table.clear()
        for n, point in enumerate(points):
            commit = "draft  " if point.commit == DRAFT else point.commit
            value = show_value(point.value) if point.present else "(removed)"
            table.add_row(
                Text(commit[:7]),
                Text(point.date[:16].replace("T", " ")),
                Text(value.replace("\n", ", ")),
                Text(point.subject),
                key=f"{n}:{commit}",
            )
        ordinals = ordinals or {}
        numeric = [
            (ordinals.get(p.commit, n), p.value)
            for n, p in enumerate(reversed(points))
            if isinstance(p.value, int | float) and not isinstance(p.value, bool)
        ]
        plot = self.query_one("#fh-plot", PlotextPlot)
        if len(numeric) < 1:
            plot.display = False
            return
        plot.display = True
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        xs = [n for n, _ in numeric]
        ys = [float(v) for _, v in numeric]
        # a step chart: hold each value until the next change
        step_x: list[float] = []
        step_y: list[float] = []
        for i, (x, y) in enumerate(zip(xs, ys, strict=True)):
            if i:
                step_x.append(x)
                step_y.append(ys[i - 1])
            step_x.append(x)
            step_y.append(y)
        step_x.append(max(xs[-1] + 1, scanned))
        step_y.append(ys[-1])
        plt.plot(step_x, step_y, marker="braille")
        plt.title(f"{dotted} by version (1 = oldest)")
        plot.refresh()
