"""The Matrix view: tiers as columns, contract-wide terms, findings with line:column."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Static

from workbench.ui.fields import TERM_FIELDS, TIER_FIELDS, FieldSpec, show_value
from workbench.ui.widgets.tables import RowTable

# core.matrix term keys are dotted paths: the app's edit spec (type, unit, dialog) of each
TERM_SPECS: dict[str, FieldSpec] = {spec.path: spec for spec in TERM_FIELDS}


def row_spec(paths: list[str], tiers: list[str]) -> FieldSpec | None:
    """The edit spec of a `core.matrix` row, matched by the dotted path of every cell
    (not by the row's position or key, so a row the core adds or moves cannot be edited
    as another field); None: the row is shown but not editable."""
    if not paths or len(paths) != len(tiers):
        return None
    for spec in TIER_FIELDS:
        if all(spec.dotted(tier) == path for tier, path in zip(tiers, paths, strict=True)):
            return spec
    return None


SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
VERDICT_STYLE = {"ok": "green", "at_risk": "yellow", "breach": "bold red"}


class MatrixView(VerticalScroll):
    """Shows one contract version; cells map back to dotted paths for editing."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._cursor = Coordinate(0, 1)

    def compose(self) -> ComposeResult:
        yield Static("", id="matrix-title", markup=False)
        # the row labels stay put while wide matrices scroll sideways
        yield DataTable(id="matrix-table", cursor_type="cell", zebra_stripes=True, fixed_columns=1)
        yield Static("Contract-wide terms", classes="section-title")
        yield RowTable(id="terms-table", cursor_type="row", zebra_stripes=True)
        yield Static("Findings", classes="section-title", id="findings-title")
        yield RowTable(id="findings-table", cursor_type="row")

    def on_mount(self) -> None:
        terms = self.query_one("#terms-table", DataTable)
        terms.add_column("Term", key="term")
        terms.add_column("Value", key="value")
        findings = self.query_one("#findings-table", DataTable)
        findings.add_column("Where", key="where")
        findings.add_column("Severity", key="severity")
        findings.add_column("Rule", key="rule")
        findings.add_column("Message", key="message")

    def show(
        self,
        title: str,
        validation: Any,
        simulation: dict[str, dict[str, Any]] | None = None,
    ) -> None:
        """Render a `core.validate.Validation` as `core.matrix.tier_matrix` lays it out, with
        its findings and, when given, the proposal's simulated figures per tier."""
        from workbench.core.matrix import tier_matrix

        self.query_one("#matrix-title", Static).update(title)
        data = validation.data if validation is not None else None
        findings = list(validation.findings) if validation is not None else []
        matrix = tier_matrix(data, validation.raw if validation is not None else None)
        table = self.query_one("#matrix-table", DataTable)
        if table.row_count:
            # a version without data (an unparseable or missing file) has no cells: the
            # cursor goes back where it was when a version with data comes next
            self._cursor = table.cursor_coordinate
        keep = self._cursor
        table.clear(columns=True)
        table.add_column("", key="label")
        for tier in matrix.tiers:
            table.add_column(tier, key=tier)
        if data is not None:
            for row in matrix.rows:
                spec = row_spec(row.paths, matrix.tiers)
                label = spec.label if spec else row.label
                cells: list[Any] = [Text(label, style="bold")]
                for path, value in zip(row.paths, row.values, strict=True):
                    written = matrix.written.get(path)
                    unit = spec.unit if spec else ""
                    cells.append(Text(show_value(written if written is not None else value, unit)))
                table.add_row(*cells, key=spec.key if spec else row.key, height=None)
            if simulation:
                self._simulated_rows(table, matrix.tiers, simulation)
        if keep.row < table.row_count and 0 < keep.column < len(table.columns):
            table.cursor_coordinate = keep
        elif table.row_count and len(table.columns) > 1:
            table.cursor_coordinate = Coordinate(min(keep.row, table.row_count - 1), 1)

        terms = self.query_one("#terms-table", DataTable)
        keep_row = terms.cursor_row
        terms.clear()
        if data is not None:
            for term in matrix.terms:
                spec = TERM_SPECS.get(term.key)
                written = matrix.written.get(term.key)
                value = show_value(
                    written if written is not None else term.value, spec.unit if spec else ""
                )
                # lists one item per line, like the matrix: nothing cut off at the edge
                terms.add_row(
                    Text(spec.label if spec else term.label, style="bold"),
                    Text(value),
                    key=spec.key if spec else term.key,
                    height=None,
                )
        if keep_row < terms.row_count:
            terms.move_cursor(row=keep_row)

        self.show_findings(findings)

    def _simulated_rows(
        self, table: DataTable, tiers: list[str], simulation: dict[str, dict[str, Any]]
    ) -> None:
        for key, label, fmt in (
            ("sim_p95", "Simulated p95 (peak)", "{:,.0f} ms"),
            ("sim_cost", "Simulated cost p95", "${:.4f}"),
            ("sim_verdict", "Verdict (peak)", "{}"),
        ):
            cells: list[Any] = [Text(label, style="bold italic")]
            for tier in tiers:
                figures = simulation.get(tier, {})
                value = figures.get(key)
                if figures.get("pending"):
                    cells.append(Text("…", style="dim"))  # resimulating the edited draft
                elif value is None:
                    cells.append("—")
                elif key == "sim_verdict":
                    cells.append(Text(str(value), style=VERDICT_STYLE.get(str(value), "")))
                else:
                    cells.append(fmt.format(value))
            table.add_row(*cells, key=key)

    def show_findings(self, findings: list[Any]) -> None:
        """Fill the findings table (rows keyed by index)."""
        table = self.query_one("#findings-table", DataTable)
        table.clear()
        title = self.query_one("#findings-title", Static)
        errors = sum(1 for f in findings if f.severity == "error")
        warnings = sum(1 for f in findings if f.severity == "warning")
        title.update(
            f"Findings: {errors} error(s), {warnings} warning(s)" if findings else "Findings: none"
        )
        for n, f in enumerate(findings):
            table.add_row(
                Text(f"{f.line}:{f.column}"),
                Text(f.severity, style=SEVERITY_STYLE.get(f.severity, "")),
                Text(f.rule),
                Text(f.message + (f" (hint: {f.hint})" if f.hint else "")),
                key=str(n),
            )

    def current_cell(self) -> tuple[FieldSpec, str | None] | None:
        """The field (and tier) under the cursor of whichever table has focus."""
        terms = self.query_one("#terms-table", DataTable)
        if terms.has_focus and terms.row_count:
            key = terms.coordinate_to_cell_key(terms.cursor_coordinate).row_key.value
            spec = next((s for s in TERM_FIELDS if s.key == key), None)
            return (spec, None) if spec else None
        table = self.query_one("#matrix-table", DataTable)
        if not table.row_count:
            return None
        cell = table.coordinate_to_cell_key(table.cursor_coordinate)
        spec = next((s for s in TIER_FIELDS if s.key == cell.row_key.value), None)
        tier = cell.column_key.value
        if spec is None or tier in (None, "label"):
            return None
        return spec, tier

    def move_to_tier(self, tier: str) -> None:
        """Put the cursor in `tier`'s column (a new tier is added off screen to the right)."""
        table = self.query_one("#matrix-table", DataTable)
        keys = [c.value for c in table.columns]
        if tier in keys and table.row_count:
            table.move_cursor(column=keys.index(tier))
            self._cursor = table.cursor_coordinate

    def current_tier(self) -> str | None:
        """The tier id of the matrix column under the cursor."""
        table = self.query_one("#matrix-table", DataTable)
        if not table.row_count or not table.columns:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).column_key.value
        return None if key in (None, "label") else key
