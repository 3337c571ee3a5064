"""Each table's columns from the page, never summed by hand: the table is as wide as the
text (the page's width less its margins) less `tables.inset_mm`; a column given in
millimetres keeps them, and the columns given a share divide what is left in proportion to
their shares, none below its own `min_mm` where it has one (a header it must hold whole). A
column that comes out narrower than its table's `min_mm` is refused, naming the table, rather
than printed too narrow for its figures."""

from __future__ import annotations

from ..exceptions import RenderError
from ..i18n import _

TABLES = ("monthly", "year", "categories", "appendix")


def text_width(settings: dict) -> float:
    """The width the text runs in, in millimetres: the page's less its left and right margins."""
    page = settings["page"]
    return page["width_mm"] - page["margin_mm"]["left"] - page["margin_mm"]["right"]


def table_width(settings: dict) -> float:
    return text_width(settings) - settings["tables"]["inset_mm"]


def column_widths(settings: dict, table: str, counts: dict[str, int] | None = None
                  ) -> list[float]:
    """The widths in millimetres of a table's columns, in the order document.yaml lists
    them, a column that repeats (`counts`: each category, each month) that many times."""
    layout = settings["tables"][table]
    counts = counts or {}
    columns = [(name, spec) for name, spec in layout["columns"].items()
               for _each in range(counts.get(name, 1))]
    while True:  # a sharing column below its own `min_mm` keeps that, the others share the rest
        fixed = sum(spec["mm"] for _name, spec in columns if "mm" in spec)
        shares = sum(spec["share"] for _name, spec in columns if "share" in spec)
        left = table_width(settings) - fixed
        short = {name for name, spec in columns if "share" in spec and "min_mm" in spec
                 and left * spec["share"] / shares < spec["min_mm"]}
        if not short:
            break
        columns = [(name, {"mm": spec["min_mm"]} if name in short else spec)
                   for name, spec in columns]
    widths = [spec["mm"] if "mm" in spec else left * spec["share"] / shares
              for _name, spec in columns]
    narrowest = min((w for (_name, spec), w in zip(columns, widths, strict=True)
                     if "share" in spec), default=layout["min_mm"])
    if left <= 0 or narrowest < layout["min_mm"] - 1e-9:
        raise RenderError(_(
            "the {table} table does not fit the text width of {width} mm: the columns that "
            "share what the others leave would be {narrowest} mm wide, narrower than the "
            "{least} mm a figure needs (narrower margins or fixed columns in document.yaml)")
            .format(table=table, width=f"{text_width(settings):g}",
                    narrowest=f"{max(narrowest, 0):.1f}", least=layout["min_mm"]))
    return widths
