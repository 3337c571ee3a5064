"""Every month from July 2019 to December 2026, generated, built and read back in both
languages; every generated sentence checked by the rules in tests/corpus/rules.yaml."""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections import Counter

import pytest
from babel.dates import format_date

from hearings.documents.parity import full_text
from hearings.documents.report import build
from hearings.files.workspace import Workspace
from hearings.month.load import load
from hearings.month.reference import Period, reference

from .conftest import ROOT
from .months import month_data, write_month

RULES = load(ROOT / "tests" / "corpus" / "rules.yaml").data
REF = reference()
FIRST, LAST = Period(2019, 7), Period(2026, 12)
# violations in total, and placed announcements and protocols, a month: the numbers whose
# nouns the rules know (0: a month without violations)
TARGETS = (0, 0, 1, 2, 4, 1, 5, 11, 20, 21, 22, 25, 101, 111)
PLACED = (1, 2, 4, 5, 11, 20, 21, 22, 25, 101, 111)
ITEM = re.compile(r"(.+?) \((\d+)\)$")


def periods() -> list[Period]:
    months, period = [], FIRST
    while (period.year, period.month) <= (LAST.year, LAST.month):
        months.append(period)
        period = Period(period.year + period.month // 12, period.month % 12 + 1)
    return months


# every category in force in some month of the corpus, each to be seen in its forms
CATEGORIES = [c.code for c in REF.categories if any(c.in_force(p) for p in periods())]


def corpus_month(index: int, period: Period) -> dict:
    """The index-th month: its violations in total from TARGETS (two months without any in
    a row), in one category (in turn, so that each is a single finding in some month) on 1,
    2, 3, 5 or all websites, or every fourth month in every category; Shymkent not assessed
    every fifth month."""
    regions = [region.code for region in REF.regions_in_force(period)]
    columns = [category.code for category in REF.categories_in_force(period)]
    target = TARGETS[index % len(TARGETS)]
    category = columns[index * 3 % len(columns)]
    sites = min((1, 2, 3, 5, len(regions))[index % 5], target)
    everything = index % 4 == 3
    picked = [regions[(index * 7 + step * 3) % len(regions)] for step in range(sites)]
    findings: Counter = Counter()
    for n in range(target):
        each = columns[(index + n) % len(columns)]
        findings[picked[n % sites], each if everything else category] += 1
    first = sorted(findings)[0][1] if findings else None
    observations = [{"ru": "Общее наблюдение месяца.", "kk": "Айдың жалпы байқауы."}]
    if first:
        observations.insert(0, {"category": first, "ru": f"Подробности: {first}.",
                                "kk": f"Толығырақ: {first}."})
    placed = {regions[0]: (PLACED[index % len(PLACED)], PLACED[(index + 5) % len(PLACED)])}
    return month_data(str(period), dict(findings), placed=placed, observations=observations,
                      not_assessed=("shymkent",) if index % 5 == 4 else ())


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> list[tuple[dict, dict[str, str], dict | None]]:
    """Each month built in one data folder after the month before it, read back."""
    folder = tmp_path_factory.mktemp("corpus")
    built, previous = [], None
    for index, period in enumerate(periods()):
        data = corpus_month(index, period)
        outcome = build(write_month(folder / "data", data), folder / "reports",
                        workspace=Workspace(folder))
        assert not outcome.report.errors, [f.message for f in outcome.report.errors]
        texts = {path.stem.rsplit("-", 1)[1]: full_text(path.read_bytes(), no_break=True)
                 for path, _status in outcome.files}
        built.append((data, texts, previous))
        previous = data
    return built


def _rows_in_force(rows: list[dict], day: dt.date) -> list[dict]:
    return [row for row in rows
            if (not row.get("from") or dt.date.fromisoformat(row["from"]) <= day)
            and (not row.get("until") or day <= dt.date.fromisoformat(row["until"]))]


class Checker:
    """Applies the rules to one document, counting the sentences it checked."""

    def __init__(self) -> None:
        self.failures: list[str] = []
        self.sentences = 0
        self.seen: Counter = Counter()

    def expect(self, condition: bool, where: str, what: str) -> None:
        self.sentences += 1
        if not condition:
            self.failures.append(f"{where}: {what}")

    def noun(self, where: str, lang: str, kind: str, number: str, word: str) -> None:
        """The noun after a number: the rules' form for ru, no plural suffix for kk."""
        nouns = RULES["nouns"][lang][kind]
        count = int(number.replace("\u00a0", "").replace(" ", ""))
        self.seen[lang, kind, count] += 1
        if lang == "kk":
            rest = word.removeprefix(nouns["any"])
            self.expect(word.startswith(nouns["any"]) and not rest.startswith(
                tuple(RULES["kk_plural_suffixes"])), where, f"{number} {word}")
        else:
            expected = nouns.get(str(count), "(not in the rules)")
            self.expect(expected == word, where, f"{number} {word}, expected {expected}")

    def document(self, data: dict, lang: str, exact: str, previous: dict | None) -> None:
        """`exact`: the text as written, no-break spaces and all; the sentences are read as
        a reader reads them, a no-break space a space."""
        period = Period.parse(data["period"])
        day, where = period.last_day, f"{period} {lang}"
        self.unbreakable(exact, where)
        text = exact.replace("\u00a0", " ").replace("\u2011", "-")
        lines = text.splitlines()
        for phrase in RULES["forbidden"]:
            self.expect(phrase not in text, where, f"forbidden {phrase!r}")
        for fact, rows in RULES["dated"].items():
            [row] = _rows_in_force(rows, day)
            self.expect(row[lang] in text, where, f"{fact}: {row[lang]!r} missing")
            for other in rows:
                if other[lang] != row[lang]:
                    self.expect(other[lang] not in text, where, f"{fact} of another period: "
                                                                f"{other[lang]!r}")
        [regions] = _rows_in_force(RULES["regions"], day)
        table_rows = [line for line in lines if re.match(r"\d+ \| ", line)]
        self.expect(len(table_rows) == regions["count"], where, f"{len(table_rows)} rows")
        self.summary(data, lang, lines, where)
        if previous is not None:
            self.comparison(data, previous, lang, lines, where)
        if not data["summary"]["violations"]:
            self.said_once(period, lang, lines, where)
        self.narrative(data, lang, lines, where, day)

    def unbreakable(self, exact: str, where: str) -> None:
        """No plain space where a line break would separate what belongs together (in the
        running text: a table row's cells are joined by " | " here, not in the document)."""
        exact = "\n".join(line for line in exact.splitlines() if " | " not in line)
        for pattern in RULES["breakable"]:
            found = re.search(pattern, exact)
            self.expect(found is None, where, f"breakable {pattern!r}: "
                        f"{exact[max(0, found.start() - 20):found.end() + 20]!r}"
                        if found else "")
            self.seen["breakable checked"] += 1

    def said_once(self, period: Period, lang: str, lines: list[str], where: str) -> None:
        """A month without violations says so of itself once: in its summary, and in no other
        sentence that names the month."""
        rules = RULES["said_once"][lang]
        name = format_date(period.last_day, "LLLL" if lang == "ru" else "MMMM", locale=lang)
        month = rules["month"].format(month=name, year=period.year)
        repeated = [line for line in lines if month in line and rules["none"] in line]
        self.expect(not repeated, where, f"said twice: {repeated}")
        self.seen["said once"] += 1

    def summary(self, data: dict, lang: str, lines: list[str], where: str) -> None:
        rules, summary = RULES["summary"][lang], data["summary"]
        for kind in ("announcements", "protocols"):
            [line] = [line for line in lines if re.match(r"• \d[\d\u00a0 ]* – ", line)
                      and line.endswith(";" if kind == "announcements" else ".")
                      and not any(by in line for by in rules["by"].values())]
            number, word = re.match(r"• (\d[\d\u00a0 ]*) – (\S+?)[;.]$", line).groups()
            self.expect(int(re.sub(r"\D", "", number)) == summary[kind], where, line)
            self.noun(where, lang, kind, number, word)
        if not summary["violations"]:
            self.expect(rules["none"] in lines, where, "no violations, not said in words")
            self.expect(not any(line.startswith(rules["total"].split("{")[0]) for line in lines),
                        where, "a total of 0 stated")
            self.seen["zero month"] += 1
            return
        if summary["violations"] == 1:  # one sentence, in words, naming its group
            [by] = [rules["by"][g] for g, count in summary["violations_by_group"].items()
                    if count]
            self.expect(rules["single"].format(by=by) in lines, where, "the single finding")
            self.expect(not any(line.startswith(("•", rules["total"].split("{")[0]))
                                and any(b in line for b in rules["by"].values())
                                for line in lines), where, "a single finding as a form")
            self.seen["single finding"] += 1
            return
        self.expect(rules["total"].format(count=summary["violations"]) in lines, where,
                    "the total")
        for group, count in summary["violations_by_group"].items():
            by = rules["by"][group]
            line = (rules["group"].format(count=count, by=by) if count
                    else rules["group_none"].format(by=by))
            self.expect(line + ";" in lines or line + "." in lines, where, f"group: {line}")
            self.seen["group none"] += not count

    def comparison(self, data: dict, previous: dict, lang: str, lines: list[str],
                   where: str) -> None:
        rules = RULES["comparison"][lang]
        before, after = previous["summary"]["violations"], data["summary"]["violations"]
        # it stands last before the table (and the thin empty line above it)
        table = next(i for i, line in enumerate(lines) if " | " in line)
        line = lines[table - 2]
        self.expect(not line.startswith("•") and line != RULES["summary"][lang]["none"],
                    where, f"no comparison before the table: {line}")
        self.seen["comparison", bool(before), bool(after)] += 1
        # "none" only of the month before: the summary said it of this one
        self.expect(len(re.findall(rules["none"], line)) == (not before), where,
                    f"comparison: {line}")
        outside = re.sub(r"\([^)]*\)", "", line)  # "(на 2 больше)" has no noun to check
        pairs = re.findall(r"(?<![\d.])(\d+) (\w+)", outside)
        pairs = [(n, w) for n, w in pairs if not w.isdigit() and not w.startswith(("год", "жыл"))]
        # this month's count is said by the summary: the comparison repeats it only beside
        # the month before's (a month after one without violations says it once)
        said = [before, after] if before and after else [before] if before else []
        self.expect([int(n) for n, _ in pairs] == said, where, f"comparison figures: {line}")
        # the year is said again only where it changed ("за ноябрь 2021 года ..., за декабрь")
        years = re.findall(r"\b(?:19|20)\d\d\b", line)
        self.expect(len(years) == len(set(years)), where, f"a year said twice: {line}")
        for number, word in pairs:
            self.noun(where, lang, "violations", number, word)

    def narrative(self, data: dict, lang: str, lines: list[str], where: str,
                  day: dt.date) -> None:
        rows = data["regions"]
        for code in next(iter(rows.values()))["violations"]:  # the month's columns
            found = {region: row["violations"][code] for region, row in rows.items()
                     if row["violations"][code] not in (0, "n/a")}
            openings = RULES["openings"][code][lang]
            paragraphs = [i for i, line in enumerate(lines)
                          if any(line.startswith(o) for o in openings)]
            if not found:
                self.expect(not paragraphs, where, f"{code}: a paragraph without findings")
                continue
            total, sites = sum(found.values()), len(found)
            case = 0 if total == 1 else 1 if sites == 1 else 2
            self.seen["case", code, case] += 1
            opening = openings[case]
            matching = [i for i in paragraphs if lines[i].startswith(opening)]
            if not self.expect_one(matching, where, f"{code}: no paragraph opens {opening!r}"):
                continue
            index = matching[0]
            paragraph = lines[index]
            head, _, rest = paragraph.partition(": ")
            expected = RULES["consequences"].get(code, {}).get(lang, "")
            # the consequence is a sentence of its own after the list, and only there
            self.expect(rest.endswith(f"). {expected}" if expected else ")."), where,
                        f"{code}: the paragraph does not end with {expected!r}: {rest}")
            listed = rest.removesuffix(expected).rstrip().removesuffix(".")
            clause = RULES["clauses"].get(code, {}).get(lang)
            if day <= dt.date.fromisoformat(RULES["clauses_until"]) and clause:
                self.expect(head.endswith(clause), where, f"{code}: clause {clause!r} missing")
            else:
                self.expect(not any(n in paragraph for n in RULES["no_clause"]), where,
                            f"{code}: a clause no one entered: {paragraph}")
            self.expect(", что" not in head and ", бұл" not in head, where,
                        f"{code}: consequence before the list")
            items = re.split(r", |; а также |; сонымен қатар ", listed)
            counts = [ITEM.match(item) for item in items]
            self.expect(all(counts) and sum(int(m.group(2)) for m in counts) == total
                        and len(items) == sites, where, f"{code}: list {listed!r}")
            body = _rows_in_force(RULES["own_body"]["almaty-city"], day)
            if "almaty-city" in found and body:
                named = body[0][lang] if sites == 1 else RULES["also"][lang] + body[0][lang]
                self.expect(named in listed, where, f"{code}: Almaty's own body, last")
                self.seen["own body"] += 1
            observation = f"{'Подробности' if lang == 'ru' else 'Толығырақ'}: {code}."
            if observation in lines:
                self.expect(lines.index(observation) == index + 1, where,
                            f"{code}: its observation does not follow its paragraph")
                self.seen["observation placed"] += 1

    def expect_one(self, found: list, where: str, what: str) -> bool:
        self.expect(len(found) == 1, where, what)
        return len(found) == 1


def test_every_generated_sentence_of_every_month_follows_the_rules(corpus) -> None:
    checker = Checker()
    for data, texts, previous in corpus:
        for lang, text in texts.items():
            checker.document(data, lang, text, previous)
    assert not checker.failures, "\n".join(checker.failures[:30])
    print(f"\ncorpus: {len(corpus)} months, {2 * len(corpus)} documents, "
          f"{checker.sentences} checks")
    # what the corpus must cover, so that it cannot shrink unnoticed
    seen = checker.seen
    assert len(corpus) == 90 and seen["zero month"] >= 2 * 7 and seen["group none"]
    assert all(seen["comparison", b, a] for b in (True, False) for a in (True, False))
    assert all(seen["case", code, case] for code in CATEGORIES for case in (0, 1, 2)
               if case != 1 or code != "rubric-mismatch"), sorted(map(str, seen))
    assert seen["own body"] and seen["observation placed"]
    assert seen["single finding"] >= 2 * 4 and seen["said once"] >= 2 * 7
    assert seen["breakable checked"] == 2 * 90 * len(RULES["breakable"])
    for lang in ("ru", "kk"):
        for kind in ("violations", "announcements", "protocols"):
            numbers = {key[2] for key in seen if key[:2] == (lang, kind)}
            wanted = {int(number) for number in RULES["nouns"]["ru"][kind]}
            assert wanted <= numbers, (lang, kind, wanted - numbers)


def test_the_corpus_covers_each_change_of_name_and_of_region_set() -> None:
    counts = {str(p): len(REF.regions_in_force(p)) for p in periods()}
    assert counts["2022-05"] == 17 and counts["2022-06"] == 20
    assert {"2019-07", "2022-08", "2022-09", "2022-12", "2023-01", "2021-07", "2021-08",
            "2024-02", "2024-03", "2026-12"} <= set(counts)


# --- the rules catch what they are for: each signer's fix undone, the checks fail ---

def _months_built(folder, settings_change) -> list[tuple[dict, dict[str, str], dict | None]]:
    """Five months of 2022 (zero, zero, a single finding, findings in a city, a region of two
    words and a new oblast, zero after them), built with the document settings changed as given."""
    from hearings.documents import report as report_module
    from hearings.month.reference import document_settings

    settings = copy.deepcopy(document_settings())  # the package's are read once, shared
    settings_change(settings)
    placed = {"astana": (5, 4)}  # figures whose nouns the rules know
    months = [month_data("2022-07", placed=placed), month_data("2022-08", placed=placed),
              month_data("2022-09", {("akmola", "backdated"): 1}, placed=placed),
              month_data("2022-10", {("almaty-city", "protocol-missing"): 2,
                                     ("west-kazakhstan", "placement-date-missing"): 1,
                                     ("abai", "less-than-20-days"): 1}, placed=placed),
              month_data("2022-11", placed=placed)]
    built, previous = [], None
    original = report_module.document_settings
    report_module.document_settings = lambda: settings
    try:
        for data in months:
            outcome = build(write_month(folder / "data", data), folder / "reports",
                            workspace=Workspace(folder), force=True)
            assert not outcome.report.errors
            built.append((data, {path.stem.rsplit("-", 1)[1]: full_text(path.read_bytes(),
                                                                        no_break=True)
                                 for path, _status in outcome.files}, previous))
            previous = data
    finally:
        report_module.document_settings = original
    return built


def _failures(built) -> list[str]:
    checker = Checker()
    for data, texts, previous in built:
        for lang, text in texts.items():
            checker.document(data, lang, text, previous)
    return checker.failures


def test_the_rules_pass_the_five_months_as_they_are_built(tmp_path) -> None:
    assert _failures(_months_built(tmp_path, lambda settings: None)) == []


def test_the_rules_catch_a_line_break_between_what_belongs_together(tmp_path,
                                                                   monkeypatch) -> None:
    from hearings.documents import localize

    def no_typesetting(settings):
        settings["no_break"] = []
        settings["no_break_hyphen"] = []

    monkeypatch.setattr(localize, "unbroken", lambda name: name)  # names as they are typed
    failures = "\n".join(_failures(_months_built(tmp_path, no_typesetting)))
    for pattern in ("'г\\\\. '", "'обл\\\\. '", "'\\\\S –'", "'\\\\d [а-яёәғқңөұүһі]'",
                    "'\\\\S \\\\(\\\\d'", "'[^\\\\W\\\\d_] қ\\\\.'", "'\\\\b[А-ЯЁ]\\\\. [А-ЯЁ]'",
                    "'(?:Батыс|Шығыс|Солтүстік) Қазақстан'",
                    "'(?:Западно|Восточно|Северо)-Казахстанск|Нур-Султан|Нұр-Сұлтан'"):
        assert f"breakable {pattern}" in failures, pattern


def test_the_rules_catch_a_month_without_violations_saying_it_twice(tmp_path) -> None:
    def the_old_comparison(settings):
        words = settings["languages"]
        words["ru"]["comparison"]["none"] = ("Как и за {before_month} {before_year} года, за "
                                             "{month} {year} года нарушений не выявлено.")
        words["kk"]["comparison"]["none_after"] = (
            "{before_year} жылғы {before_month} айында {before} анықталды, {year} жылғы "
            "{month} айында бұзушылықтар анықталған жоқ.")

    failures = _failures(_months_built(tmp_path, the_old_comparison))
    assert any(f.startswith("2022-08 ru: said twice") for f in failures), failures
    assert any(f.startswith("2022-11 kk: said twice") for f in failures), failures


def test_the_rules_catch_a_single_finding_said_as_a_form(tmp_path, monkeypatch) -> None:
    from hearings.documents import report as report_module

    def no_single_sentence(settings):
        for lang in ("ru", "kk"):
            settings["languages"][lang]["single"] = ""

    # the parity check refuses the form first (it reads one figure for a single finding);
    # without it, the corpus rules still see it
    monkeypatch.setattr(report_module, "check_parity", lambda documents, columns: None)
    failures = _failures(_months_built(tmp_path, no_single_sentence))
    assert "2022-09 ru: the single finding" in failures
    assert "2022-09 kk: a single finding as a form" in failures
