"""Compare two months: the change of every figure, per region and per category."""

from __future__ import annotations

from ..i18n import _, language
from ..month.model import Month


def _change(before: int | None, after: int | None) -> str:
    """"12 → 15 (+3)", "15" when equal, a dash for a figure not assessed or absent (as the
    reports show it, in every language)."""
    show = {None: "–"}
    if before == after:
        return show.get(after, str(after))
    text = f"{show.get(before, before)} → {show.get(after, after)}"
    if before is not None and after is not None:
        text += f" ({after - before:+d})"
    return text


def compare_text(before: Month, after: Month) -> str:
    """The comparison as the command line prints it, names in the messages' language."""
    lang = language()
    rows_before = {row.region.code: row for row in before.rows}
    rows_after = {row.region.code: row for row in after.rows}
    codes = list(rows_after) + [c for c in rows_before if c not in rows_after]
    headers = (_("announcements"), _("protocols"), _("violations"))
    # a category in force in one month only is not applicable in the other: a dash, keyed below
    categories = [*after.categories, *(c for c in before.categories if c not in after.categories)]
    lines = [f"{before.period} → {after.period}",
             "".ljust(32) + "".join(header.rjust(18) for header in headers)]
    for code in codes:
        old, new = rows_before.get(code), rows_after.get(code)
        region = (new or old).region
        name = region.name(after.period if new else before.period).forms[lang]["table"]
        lines.append(f"{name:<32}"
                     f"{_change(old and old.announcements, new and new.announcements):>18}"
                     f"{_change(old and old.protocols, new and new.protocols):>18}"
                     f"{_change(old and old.total, new and new.total):>18}")
        for category in categories:
            a = old.counts.get(category.code) if old else None
            b = new.counts.get(category.code) if new else None
            both = category in before.categories and category in after.categories
            if a != b and (both or a or b):  # one month's column: only where it has findings
                lines.append(f"    {category.label[lang]}: {_change(a, b)}")
    totals_before, totals_after = before.totals, after.totals
    total = _("total")
    lines.append(f"{total:<32}"
                 f"{_change(totals_before.announcements, totals_after.announcements):>18}"
                 f"{_change(totals_before.protocols, totals_after.protocols):>18}"
                 f"{_change(totals_before.total, totals_after.total):>18}")
    lines.append("")
    lines.append(_("violations by category"))
    for category in categories:
        change = _change(totals_before.counts.get(category.code),
                         totals_after.counts.get(category.code))
        lines.append(f"    {category.label[lang]:<48}{change:>18}")
    for month in (before, after):
        for category in categories:
            if category not in month.categories:
                lines.append("– " + _("{category}: not applicable in {period}, the category is "
                                      "{validity}").format(category=category.label[lang],
                                                           period=month.period,
                                                           validity=category.validity))
    return "\n".join(lines)
