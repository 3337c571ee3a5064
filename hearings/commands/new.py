"""Start a month: a monthly file with every region in force at zero, ready to fill in."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from ..exceptions import MonthExistsError, MonthRefusedError, WriteError
from ..files.workspace import Workspace
from ..files.write import write_new
from ..i18n import _
from ..month.checks import ministry_words
from ..month.context import period_of
from ..month.facts.stated import unknown_text
from ..month.load import LoadError, load
from ..month.reference import Period, Reference, reference
from ..month.validate import check_text
from .output import SEVERITIES

HEADER = """\
# yaml-language-server: $schema={schema}
#
# Monitoring of public-hearing announcements and protocols, {period}.
# Enter each count once; both reports are rendered from this file. `n/a` marks a figure that
# could not be assessed (shown as a dash), which is not a zero. When a region's counts change,
# change its total and the summary too: hearings validate {path} says where the figures do
# not add up.

period: {period}

# The figures the report's text states; they must equal what the table adds up to.
summary:
  announcements: {announcements}
  protocols: {protocols}
  violations: {violations}
  violations_by_group:
{groups}

# One row per region in force in {period}; violation categories in the table's order.
regions:
"""

TEXTS = """
# Free text that the per-category paragraphs cannot say, in both languages. With `category`,
# it follows that category's paragraph (so that category needs findings this month); without,
# it comes after all of them. For example:
#   - category: backdated
#     ru: Так, в ... области ... были опубликованы объявления с датой размещения ...
#     kk: ...
observations: []

# Proposals and next steps, one paragraph per item, in both languages:
#   - ru: ...
#     kk: ...
closing: []

# Optional: the evidence register, one entry per violation of the table. All or nothing: with
# `evidence:`, every count of the table must equal its entries (validate says which do not),
# and both reports end with an appendix that lists them. For example:
#   evidence:
#     - region: kostanay
#       category: less-than-20-days
#       url: https://...
#       seen: {period}-14
#       project: ...
"""


# Texts on lines of their own: in {ru: ..., kk: ...} a comma would end the text.
PEOPLE = """
# Optional: the document's date, printed under the signature (without it, the registration
# of the signed document gives it its date):
# date: YYYY-MM-DD
#
# Before the reports are signed, name who signs and who prepared them (texts on lines of
# their own, or in quotes: in {ru: ..., kk: ...} a comma would cut a text short):
# signatory:
#   position:
#     ru: ...
#     kk: ...
#   name:
#     ru: А. Б. Фамилия
#     kk: А. Б. Фамилия
# executor:
#   name:
#     ru: ...
#     kk: ...
#   phone: +7 ...
"""


def previous_file(period: Period, data_dir: Path) -> Path | None:
    """The latest monthly file before period, if any (a file whose name is no month's, a
    copy say, is none)."""
    earlier = [p for p in sorted(data_dir.glob("*.yaml"))
               if period_of(p.stem) and p.stem < str(period)]
    return earlier[-1] if earlier else None


def _people(previous: Path | None) -> dict:
    """The signatory and executor of the previous month, where it names them."""
    if previous is None:
        return {}
    try:
        data = load(previous).data
    except LoadError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {key: data[key] for key in ("signatory", "executor") if key in data}


def _figure(value: object) -> str:
    return str(value)


def month_text(period: Period, people: dict, schema: str, path: Path,
               figures: dict | None = None, texts: str | None = None,
               ref: Reference | None = None) -> str:
    """The new file's text: zeros everywhere (or the `figures` given: summary and regions,
    as `hearings import` reads them, with a comment per row where it has one), comments
    where they help; `schema` is what its modeline names for editors, `path` where it is
    written; `texts` the observations and closing as YAML, else the empty lists; the
    categories are those in force in the period (of `ref`: the folder's own, where it has
    some)."""
    ref = ref or reference()
    summary = (figures or {}).get("summary", {})
    by_group = summary.get("violations_by_group", {})
    groups = "\n".join(f"    {group.code}: {_figure(by_group.get(group.code, 0))}"
                       for group in ref.groups_in_force(period))
    lines = [HEADER.format(period=period, groups=groups, schema=schema, path=path,
                           **{key: _figure(summary.get(key, 0))
                              for key in ("announcements", "protocols", "violations")})]
    rows = (figures or {}).get("regions", {})
    for region in ref.regions_in_force(period):
        forms = region.name(period).forms
        row = rows.get(region.code, {})
        counts = row.get("violations", {})
        comment = "".join(f"    # {line}\n" for line in row.get("comments", []))
        lines.append(f"  {region.code}:  # {forms['ru']['table']} / {forms['kk']['table']}\n"
                     + comment
                     + f"    announcements: {_figure(row.get('announcements', 0))}\n"
                     + f"    protocols: {_figure(row.get('protocols', 0))}\n    violations:\n"
                     + "".join(f"      {c.code}: {_figure(counts.get(c.code, 0))}\n"
                               for c in ref.categories  # another month's too, where given:
                               if c.code in counts      # validate names it, never dropped
                               or (not rows and c.in_force(period)))
                     + f"    total: {_figure(row.get('total', 0))}\n\n")
    text = "".join(lines).rstrip("\n") + "\n"
    if texts is None:
        text += TEXTS.replace("{period}", str(period))
    else:
        text += texts
    if people:
        text += ("\n# Who signs, and who prepared the report (carried over from the previous "
                 "month).\n" if texts is None else "\n# Who signed, and who prepared the "
                 "report, as the Word files name them.\n")
        text += yaml.safe_dump(people, allow_unicode=True, sort_keys=False, width=100)
    else:
        text += PEOPLE
    return text


def _position_for(people: dict, before: Period, period: Period, month_facts) -> str | None:
    """The signatory's position carried across a change of ministry, rewritten for the
    ministry in force in `period` where it names the one of `before` (the words after
    "Министерство", before "министрлігі"); what was done, said, else None."""
    old, new = (month_facts.for_month(p).ministry for p in (before, period))
    position = people.get("signatory", {}).get("position") if isinstance(
        people.get("signatory"), dict) else None
    if not isinstance(position, dict) or old is None or new is None or None in (
            old.value, new.value) or old.value == new.value:
        return None
    rewritten = {}
    for lang in ("ru", "kk"):
        text, name = position.get(lang), new.value[lang]
        words = re.escape(ministry_words(old.value[lang], lang)).replace(r"\ ", r"\s+")
        if not isinstance(text, str) or not re.search(words, text, re.IGNORECASE):
            return _("the ministry changed since {before} (now «{ministry}»), and the "
                     "signatory's position does not name the former one as its words: check "
                     "it").format(before=before, ministry=new.value["ru"])
        kept = name.removeprefix("Министерство ") if lang == "ru" else name.removesuffix(
            " министрлігі")
        rewritten[lang] = re.sub(words, lambda _m, kept=kept: kept, text, flags=re.IGNORECASE)
    position.update(rewritten)
    return _("the ministry changed since {before}: the signatory's position is written for "
             "«{ministry}»: check it").format(before=before, ministry=new.value["ru"])


def new_month(period: Period, data_dir: Path, workspace: Workspace | None = None
              ) -> tuple[Path, Path | None, list, str, str | None]:
    """Write data/<period>.yaml; never over an existing file, never a month with errors of
    its own. Returns it, the file the signatory and executor came from, what the new file's
    warnings say (a month after the current one, a fact the reports leave out), the
    month's facts nobody has entered yet, with where to add them, and what was done to the
    signatory's position across a change of ministry."""
    workspace = workspace or Workspace.here()
    month_facts = workspace.checked_facts()
    path = data_dir / f"{period}.yaml"
    if path.exists():
        raise MonthExistsError(_("{path} exists already; it is left as it is").format(path=path))
    previous = previous_file(period, data_dir)
    people = _people(previous)
    renamed = _position_for(people, Period.parse(previous.stem), period,
                            month_facts) if people else None
    text = month_text(period, people, workspace.schema_reference(path), path,
                      ref=month_facts.reference)
    report = check_text(text, str(path), month_facts)
    if report.errors:  # a month after this one, or one the reference data cannot report
        # the errors alone, without the lines of a file that is not written
        lines = [_("{path} was not created:").format(path=path)]
        for finding in report.errors:
            lines.append(f"  {_(SEVERITIES[finding.severity])} [{finding.code}] "
                         f"{finding.message}")
            lines += ["    " + line for line in (finding.hint or "").splitlines()]
        raise MonthRefusedError("\n".join(lines))
    try:
        write_new(path, text.encode("utf-8"))
    except FileExistsError as err:
        raise MonthExistsError(_("{path} exists already; it is left as it is").format(
            path=path)) from err
    except OSError as err:
        raise WriteError(_("{path} cannot be written: {reason}").format(
            path=path, reason=err.strerror or err)) from err
    return (path, previous if people else None, report.warnings,
            unknown_text(period, month_facts, month_facts.reference), renamed)


def new_register(period: Period, data_dir: Path) -> Path:
    """data/<period>.register.csv: the register's header and a commented example row (a row
    whose first cell starts with # is not read); never over an existing file."""
    import csv
    import io

    from ..month.register import COLUMNS

    example = {"region": "# Акмолинская", "kind": "announcement",
               "url": f"https://example.kz/hearings/{period}/1", "project": "Проект …",
               "placed": str(period.first_day), "seen": str(period.first_day),
               "form": "hearing", "hearing": str(period.last_day),
               "note": "пример: удалите эту строку"}
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(list(COLUMNS))
    writer.writerow([example.get(key, "") for key in COLUMNS])
    path = data_dir / f"{period}.register.csv"
    try:
        write_new(path, text.getvalue().encode("utf-8"))
    except FileExistsError as err:
        raise MonthExistsError(_("{path} exists already; it is left as it is").format(
            path=path)) from err
    return path
