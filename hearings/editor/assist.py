"""What the editor is offered on the text being typed: where a finding stands, the certain
fixes, what a code under the cursor stands for, and the codes that fit where it stands."""

from __future__ import annotations

import re

from lsprotocol import types as lsp

from ..files.workspace import Workspace
from ..i18n import _, language
from ..month.context import period_of
from ..month.findings import Finding
from ..month.reference import Period, Reference, reference


def _token_end(line: str, start: int) -> int:
    """Where the value or key that starts at `start` (0-based) ends on its line."""
    match = re.match(r"[^\s#:,}\]]+", line[start:])
    return start + (match.end() if match else 1)


def finding_range(lines: list[str], finding: Finding) -> lsp.Range:
    row = max(finding.line - 1, 0)
    text = lines[row] if row < len(lines) else ""
    start = min(max(finding.column - 1, 0), len(text))
    return lsp.Range(lsp.Position(row, start), lsp.Position(row, _token_end(text, start)))


def _replace(uri: str, lines: list[str], finding: Finding, new: str, title: str
             ) -> lsp.CodeAction:
    where = finding_range(lines, finding)
    return lsp.CodeAction(title=title, kind=lsp.CodeActionKind.QuickFix, is_preferred=True,
                          edit=lsp.WorkspaceEdit(changes={uri: [lsp.TextEdit(where, new)]}))


def stated_period(text: str) -> Period | None:
    """The month a text states, None where it states none or one of no calendar (2020-13)."""
    match = re.search(r"^period:\s*['\"]?(\d{4}-\d{2})", text, re.MULTILINE)
    return period_of(match.group(1)) if match else None


def _missing_row(uri: str, lines: list[str], finding: Finding, text: str, ref: Reference
                 ) -> lsp.CodeAction | None:
    """A region's row at zero, inserted before the next top-level key after `regions:`."""
    period = stated_period(text)
    code = finding.params.get("code") or (finding.path[1] if len(finding.path) > 1 else None)
    if period is None or code is None:
        return None
    start = next((i for i, line in enumerate(lines) if line.startswith("regions:")), None)
    if start is None:
        return None
    end = next((i for i in range(start + 1, len(lines))
                if lines[i] and not lines[i].startswith((" ", "#"))), len(lines))
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    region = ref.region(code)
    if region is None or not region.validity.covers(period.last_day):
        return None
    forms = region.name(period).forms
    row = (f"\n  {code}:  # {forms['ru']['table']} / {forms['kk']['table']}\n"
           "    announcements: 0\n    protocols: 0\n    violations:\n"
           + "".join(f"      {c.code}: 0\n" for c in ref.categories_in_force(period))
           + "    total: 0\n")
    at = lsp.Position(end - 1, len(lines[end - 1]))
    return lsp.CodeAction(
        title=_("Add the row of {region}, at zero").format(region=finding.region or code),
        kind=lsp.CodeActionKind.QuickFix,
        edit=lsp.WorkspaceEdit(changes={uri: [lsp.TextEdit(lsp.Range(at, at),
                                                           row.rstrip("\n"))]}))


def _translation_current(uri: str, lines: list[str], finding: Finding
                         ) -> lsp.CodeAction | None:
    """After the translator's work: the item's digest set to its source text as it stands."""
    was, now = finding.params["was"], finding.params["now"]
    for row in range(min(finding.line - 1, len(lines) - 1), -1, -1):
        column = lines[row].find(f"digest: {was}")
        if column >= 0:
            start = lsp.Position(row, column + len("digest: "))
            end = lsp.Position(row, column + len("digest: ") + len(was))
            return lsp.CodeAction(
                title=_("Mark this translation as made from the {source} text as it stands")
                .format(source=finding.params["source"]), kind=lsp.CodeActionKind.QuickFix,
                edit=lsp.WorkspaceEdit(changes={uri: [lsp.TextEdit(lsp.Range(start, end),
                                                                   now)]}))
    return None


def fixes(uri: str, text: str, wanted: lsp.Range, findings: list[Finding],
          ref: Reference | None = None) -> list[lsp.CodeAction]:
    """The certain fixes of the findings on the lines asked for; never one that guesses a
    count. `ref` has the folder's own categories, where it has some."""
    ref = ref or reference()
    lines = text.split("\n")
    actions = []
    for finding in findings:
        if not wanted.start.line <= finding.line - 1 <= wanted.end.line:
            continue
        if finding.code in ("row-total-mismatch", "summary-mismatch") and isinstance(
                finding.expected, int):
            actions.append(_replace(uri, lines, finding, str(finding.expected), _(
                "Set it to {expected}, what the table adds up to").format(
                    expected=finding.expected)))
        elif finding.code == "unknown-key" and finding.params.get("suggestion"):
            suggestion = finding.params["suggestion"]
            actions.append(_replace(uri, lines, finding, suggestion, _(
                "Replace '{key}' by '{suggestion}'").format(key=finding.params["key"],
                                                            suggestion=suggestion)))
        elif finding.code == "translation-outdated":
            action = _translation_current(uri, lines, finding)
            if action:
                actions.append(action)
        elif finding.code == "region-missing":
            action = _missing_row(uri, lines, finding, text, ref)
            if action:
                actions.append(action)
    return actions


def hover_text(text: str, line: int, character: int, facts=None) -> str | None:
    """What the word under the cursor stands for in the file's month: a region code its
    names, a category code its headers and clause, a summary figure how it is made up."""
    lines = text.split("\n")
    if line >= len(lines):
        return None
    period = stated_period(text)
    current = lines[line]
    word = next((m.group(0) for m in re.finditer(r"[a-z][a-z0-9_-]*", current)
                 if m.start() <= character <= m.end()), None)
    if word is None or period is None:
        return None
    facts = facts or Workspace.here().facts()
    ref = facts.reference
    region = ref.region(word)
    if region is not None:
        if not region.validity.covers(period.last_day):
            return _("{code}: not in force in {period}").format(code=word, period=period)
        forms = region.name(period).forms
        return (f"**{forms['ru']['official']}** / **{forms['kk']['official']}**\n\n"
                + _("in the table: {ru} / {kk}; KATO {kato}").format(
                    ru=forms["ru"]["table"], kk=forms["kk"]["table"], kato=region.kato))
    category = ref.category(word)
    if category is not None:
        lang = language()
        text_lang = lang if lang in ("ru", "kk") else "ru"
        if not category.in_force(period):
            return _("{code}: not in force in {period}").format(code=word, period=period)
        clause = facts.for_month(period).clause(category)
        group = next(g for g in ref.groups if g.code == category.group)
        return (f"**{category.header['ru']}** / **{category.header['kk']}**\n\n"
                + _("{label}; counted with the {group}; {period}: {clause}").format(
                    label=category.label[lang if lang in category.label else "en"],
                    group=group.title.get(lang, group.code),
                    period=period,
                    clause=clause[text_lang] if clause else _("no clause cited")))
    stripped = current.strip()
    if stripped.startswith(word + ":") and word in ("announcements", "protocols", "violations") \
            and line > 0 and any(row.startswith("summary:") for row in lines[:line]) \
            and not any(row.startswith("regions:") for row in lines[:line]):
        return _("the sum of every region's {figure} in the table").format(figure=word)
    return None


def _parent(lines: list[str], line: int, indent: int) -> str | None:
    """The key of the nearest line above with less indentation than `indent`."""
    for row in range(line - 1, -1, -1):
        text = lines[row]
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        own = len(text) - len(text.lstrip())
        if own < indent:
            return text.strip().lstrip("- ").split(":")[0]
    return None


def completions(text: str, line: int, character: int, ref: Reference | None = None
                ) -> list[lsp.CompletionItem]:
    """Codes that fit where the cursor stands, for the file's month: a region in force and
    not yet in `regions:`, a category in force not yet in a row's `violations:`, or after
    `category:` a category with findings this month (of `ref`: the folder's own categories
    over the package's)."""
    lines = text.split("\n")
    period = stated_period(text)
    if period is None or line >= len(lines):
        return []
    ref = ref or reference()
    current = lines[line][:character]
    indent = len(current) - len(current.lstrip())
    present = {row.strip().split(":")[0] for row in lines}
    if re.match(r"^\s*-?\s*category:\s*\S*$", current):
        found = _categories_found(text)
        return [lsp.CompletionItem(c.code, kind=lsp.CompletionItemKind.EnumMember,
                                   detail=f"{c.header['ru']} / {c.header['kk']}")
                for c in ref.categories_in_force(period) if found is None or c.code in found]
    if ":" in current:
        return []
    parent = _parent(lines, line, indent)
    if parent == "regions" and indent == 2:
        items = []
        for region in ref.regions_in_force(period):
            if region.code in present:
                continue
            forms = region.name(period).forms
            items.append(lsp.CompletionItem(
                region.code, kind=lsp.CompletionItemKind.Module, insert_text=f"{region.code}:",
                detail=f"{forms['ru']['official']} / {forms['kk']['official']}"))
        return items
    if parent == "violations" and indent == 6:
        block = _block_keys(lines, line, indent)
        return [lsp.CompletionItem(c.code, kind=lsp.CompletionItemKind.Field,
                                   insert_text=f"{c.code}: ",
                                   detail=f"{c.header['ru']} / {c.header['kk']}")
                for c in ref.categories_in_force(period) if c.code not in block]
    return []


def _block_keys(lines: list[str], line: int, indent: int) -> set[str]:
    """The keys at `indent` in the block around `line`."""
    keys = set()
    for step in (-1, 1):
        row = line + step
        while 0 <= row < len(lines):
            text = lines[row]
            own = len(text) - len(text.lstrip())
            if text.strip() and own < indent:
                break
            if own == indent and ":" in text:
                keys.add(text.strip().split(":")[0])
            row += step
    return keys


def _categories_found(text: str) -> set[str] | None:
    """The categories with findings in the file's table, None when it cannot be read."""
    from ..month.load import LoadError, parse
    try:
        data = parse(text, "").data
        return {code for row in data["regions"].values()
                for code, count in row["violations"].items()
                if isinstance(count, int) and count > 0}
    except (LoadError, KeyError, TypeError, AttributeError):  # half typed: every category
        return None
