"""Native charts and rendered pictures on the report's Summary sheet (:mod:`planner.io.report_writer`
lays out the rest): each chart draws from a block placed on a detail sheet, four to a printed page;
each picture (the flow picture) gets a printed page of its own."""

from __future__ import annotations

import logging
import math
from typing import Any

from openpyxl.chart import BarChart, LineChart, Reference, ScatterChart, Series
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.chart.text import RichText, Text
from openpyxl.chart.title import Title
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties, RegularTextRun
from openpyxl.styles import Font
from openpyxl.worksheet.pagebreak import Break

from planner.io.report_format import (
    BAR_COLOUR,
    CHART_HEIGHT_CM,
    CHART_ROWS,
    CHART_WIDTH_CM,
    GREY,
    LINE_PALETTE,
    MAX_MIX_COLOURS,
    NAVY,
    PALETTE,
    PICTURE_WIDTH_PX,
    _currency_affixes,
    _literal,
    _merge_text,
    _Placed,
    sheet_title,
)
from planner.io.results_writer import put
from planner.report import ChartSpec, ReportContent

log = logging.getLogger(__name__)


def _ref(placed: _Placed, column: str, rows: int, with_header: bool) -> Reference:
    c = placed.columns[column]
    first = placed.header_row if with_header else placed.header_row + 1
    return Reference(placed.ws, min_col=c, max_col=c, min_row=first, max_row=placed.header_row + rows)


def _axis_format(kind: str, top: float, content: ReportContent) -> str:
    if kind == "money":
        pre, post = _currency_affixes(content.currency)
        if top >= 1e9:
            return f'{pre}#,##0.0,,,"B"{post}'
        if top >= 1e6:
            return f'{pre}#,##0.0,,"M"{post}'
        if top >= 1e4:
            return f'{pre}#,##0,"k"{post}'
        return f"{pre}#,##0{post}"
    if kind == "pct":
        return "0%"
    if kind == "t":
        return (
            f"#,##0 {_literal(content.mass_unit)}" if top >= 10 else f"#,##0.0 {_literal(content.mass_unit)}"
        )
    return "General"


def _rich(size: int, bold: bool = False, color: str | None = None) -> CharacterProperties:
    return CharacterProperties(sz=size, b=bold, solidFill=color)


def _title(text: str, size: int = 1100, bold: bool = True) -> Title:
    """A chart or axis title in a readable size (openpyxl's default is 18 pt)."""
    cp = _rich(size, bold, NAVY if bold else GREY)
    para = Paragraph(pPr=ParagraphProperties(defRPr=cp), r=[RegularTextRun(rPr=cp, t=text)])
    return Title(tx=Text(rich=RichText(p=[para])), overlay=False)


def _text(size: int = 800) -> RichText:
    cp = _rich(size)
    return RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=cp), endParaRPr=cp)])


def _style_axes(chart: Any, y_title: str) -> None:
    # openpyxl >= 3.1 marks axes as deleted unless told otherwise; Excel then hides them
    for axis in (chart.x_axis, chart.y_axis):
        axis.delete = False
        axis.txPr = _text(800)
    chart.y_axis.title = _title(y_title, 800, bold=False)


def _scatter(
    spec: ChartSpec, placed: _Placed, content: ReportContent, series: list[str], rows: int, top: float
) -> Any:
    """An x-y chart (numbers on both axes), lines with markers: e.g. a cost-risk frontier."""
    chart = ScatterChart()
    xs = _ref(placed, spec.x, rows, with_header=False)
    for i, s in enumerate(series):
        ser = Series(_ref(placed, s, rows, with_header=False), xs, title=s)
        ser.marker.symbol = "circle"
        ser.marker.size = 7
        ser.graphicalProperties.line.solidFill = LINE_PALETTE[i % len(LINE_PALETTE)]
        ser.graphicalProperties.line.width = 22000
        ser.smooth = False
        chart.series.append(ser)
    chart.title = _title(spec.title)
    _style_axes(chart, spec.y_title)
    chart.x_axis.title = _title(spec.x, 800, bold=False)
    chart.y_axis.number_format = _axis_format(spec.y_kind, top, content)
    chart.x_axis.number_format = _axis_format(spec.y_kind, placed.maxima.get(spec.x, 0.0), content)
    chart.legend = None
    chart.width = CHART_WIDTH_CM
    chart.height = CHART_HEIGHT_CM
    return chart


def _fit_axis(chart: Any, placed: _Placed, series: list[str], kind: str, content: ReportContent) -> None:
    """A value axis around the data (close values, e.g. cost estimates, stay apart) with enough
    decimals of millions to tell its ticks apart; for line charts, whose height carries no meaning."""
    lo = min(placed.minima.get(s, 0.0) for s in series)
    hi = max(placed.maxima.get(s, 0.0) for s in series)
    if lo <= 0 or hi <= lo:
        return
    step = 10.0 ** math.floor(math.log10(max(hi - lo, 1e-9 * hi)))
    chart.y_axis.scaling.min = math.floor(lo / step) * step
    chart.y_axis.scaling.max = math.ceil(hi / step) * step
    chart.y_axis.majorUnit = (
        step / 2 if (chart.y_axis.scaling.max - chart.y_axis.scaling.min) / step < 4 else step
    )
    if kind == "money" and hi >= 1e6:
        digits = min(3, max(1, -math.floor(math.log10(chart.y_axis.majorUnit / 1e6))))
        pre, post = _currency_affixes(content.currency)
        chart.y_axis.number_format = f'{pre}#,##0.{"0" * digits},,"M"{post}'


def _build_chart(spec: ChartSpec, placed: _Placed, content: ReportContent) -> Any | None:
    rows = spec.rows if spec.rows is not None else placed.n_rows
    rows = min(rows, placed.n_rows)
    if rows <= 0:
        return None
    series = spec.series or [c for c in placed.columns if c != spec.x and c not in spec.lines]
    series = [s for s in series if s in placed.columns]
    if not series:
        return None
    lines = [s for s in spec.lines if s in placed.columns] if spec.kind == "col" else []
    cats = _ref(placed, spec.x, rows, with_header=False)
    top = max((placed.maxima.get(s, 0.0) for s in [*series, *lines]), default=0.0)
    chart: Any
    if spec.kind == "scatter":
        return _scatter(spec, placed, content, series, rows, top)
    if spec.kind in ("barh", "col", "stacked_pct", "combo"):
        chart = BarChart()
        chart.type = "bar" if spec.kind == "barh" else "col"
        if spec.kind == "stacked_pct":
            chart.grouping = "stacked"
            chart.overlap = 100
            chart.y_axis.scaling.min = 0
            chart.y_axis.scaling.max = 1
        chart.gapWidth = 60
    else:
        chart = LineChart()
    for s in series:
        chart.add_data(_ref(placed, s, rows, with_header=True), titles_from_data=True)
    chart.set_categories(cats)
    chart.title = _title(spec.title)
    _style_axes(chart, spec.y_title)
    chart.y_axis.number_format = _axis_format(spec.y_kind, top, content)
    if not spec.zero and spec.kind == "line":
        _fit_axis(chart, placed, [*series, *lines], spec.y_kind, content)
    if (
        spec.zero
        and spec.y_kind in ("money", "t")
        and min(placed.minima.get(s, 0.0) for s in [*series, *lines]) >= 0
    ):
        chart.y_axis.scaling.min = 0  # bars that do not start at zero exaggerate differences
    if spec.kind == "barh":
        chart.x_axis.scaling.orientation = "maxMin"  # first row on top
        chart.y_axis.crosses = "max"  # keep the value axis at the bottom once categories are reversed
        chart.legend = None
    if spec.kind == "line":
        for i, ser in enumerate(chart.series):
            ser.smooth = False
            colour = spec.colours[i] if i < len(spec.colours) else LINE_PALETTE[i % len(LINE_PALETTE)]
            ser.graphicalProperties.line.solidFill = colour
            ser.graphicalProperties.line.width = 22000  # EMU, about 1.75 pt
    elif spec.kind == "stacked_pct":
        for i, ser in enumerate(chart.series):
            colour = (
                "D9D9D9" if i == len(chart.series) - 1 and i >= MAX_MIX_COLOURS else PALETTE[i % len(PALETTE)]
            )
            ser.graphicalProperties.solidFill = colour
            ser.graphicalProperties.line.solidFill = colour
    else:
        for i, ser in enumerate(chart.series):
            colour = BAR_COLOUR if len(chart.series) == 1 else PALETTE[i % len(PALETTE)]
            if i < len(spec.colours):
                colour = spec.colours[i]
            ser.graphicalProperties.solidFill = colour
            ser.graphicalProperties.line.solidFill = colour
    if lines:  # on the columns' own axes (a LineChart shares the BarChart's axis ids)
        overlay = LineChart()
        for s in lines:
            overlay.add_data(_ref(placed, s, rows, with_header=True), titles_from_data=True)
        overlay.set_categories(cats)
        for i, ser in enumerate(overlay.series):
            colour = ("C00000", "7F7F7F", "ED7D31")[i % 3]
            ser.smooth = False
            ser.marker.symbol = "none"
            ser.graphicalProperties.line.solidFill = colour
            ser.graphicalProperties.line.width = 25400  # EMU, 2 pt
            if i:
                ser.graphicalProperties.line.dashStyle = "dash"
        chart += overlay
    if spec.kind == "combo" and spec.secondary:
        line = LineChart()
        for s in spec.secondary:
            if s in placed.columns:
                line.add_data(_ref(placed, s, rows, with_header=True), titles_from_data=True)
        line.set_categories(cats)
        line.y_axis.axId = 200
        line.y_axis.title = _title(spec.secondary_title, 800, bold=False)
        top2 = max((placed.maxima.get(s, 0.0) for s in spec.secondary), default=0.0)
        line.y_axis.number_format = _axis_format(spec.secondary_kind, top2, content)
        line.y_axis.crosses = "max"
        line.y_axis.scaling.min = 0
        line.y_axis.delete = False
        line.y_axis.txPr = _text(800)
        line.y_axis.majorGridlines = None
        for ser in line.series:  # markers only: scenarios are categories, not a sequence
            ser.marker.symbol = "circle"
            ser.marker.size = 8
            ser.marker.graphicalProperties = GraphicalProperties(solidFill=PALETTE[0])
            ser.marker.graphicalProperties.line.solidFill = PALETTE[0]
            ser.graphicalProperties.line.noFill = True
            ser.smooth = False
        chart += line
    if chart.legend is not None:
        chart.legend.position = "b"
        chart.legend.txPr = _text(800)
    chart.width = CHART_WIDTH_CM
    chart.height = CHART_HEIGHT_CM
    return chart


CHARTS_PER_PAGE = 4


def _place_charts(ws: Any, content: ReportContent, placed: dict[tuple[str, str], _Placed], row: int) -> int:
    if not content.charts:
        return row
    ws.row_breaks.append(Break(id=row - 1))  # charts start a new printed page
    put(ws, row, 2, "Charts").font = Font(bold=True, size=13, color=NAVY)
    row += 1
    slot = 0
    for spec in content.charts:
        p = placed.get((sheet_title(spec.sheet), spec.block))
        if p is None:
            continue
        chart = _build_chart(spec, p, content)
        if chart is None:
            continue
        col = "B" if slot % 2 == 0 else "H"
        anchor_row = row + (slot // 2) * CHART_ROWS
        if slot and slot % CHARTS_PER_PAGE == 0:
            ws.row_breaks.append(Break(id=anchor_row - 1))  # two rows of charts per printed page
        ws.add_chart(chart, f"{col}{anchor_row}")
        slot += 1
    return row + ((slot + 1) // 2) * CHART_ROWS


def _place_pictures(ws: Any, content: ReportContent, row: int) -> int:
    """Each picture on a printed page of its own (after page one); returns the first free row."""
    import io

    from openpyxl.drawing.image import Image

    for pic in content.pictures:
        ws.row_breaks.append(Break(id=row - 1))
        put(ws, row, 2, pic.title).font = Font(bold=True, size=13, color=NAVY)
        if pic.caption:
            _merge_text(ws, row + 1, pic.caption, Font(size=9, color="555555"))
        image = Image(io.BytesIO(pic.png))
        scale = PICTURE_WIDTH_PX / image.width
        image.width, image.height = PICTURE_WIDTH_PX, int(image.height * scale)
        ws.add_image(image, f"B{row + 2}")
        row += 3 + int(image.height / 20) + 1  # default row height is 20 px
    return row
