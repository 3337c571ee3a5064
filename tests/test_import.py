"""`hearings import`: the hand-typed August 2020 pair rebuilt as Word files, variants typed by
other hands, bad files, a folder of months, and the round trip over months this tool built.

HEARINGS_IMPORT_EVERY=1 pytest tests/test_import.py takes every corpus month round (90; CI 10)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from babel.dates import format_date
from docx import Document

from hearings.documents.parity import full_text
from hearings.month.load import load
from hearings.month.reference import Period

from .conftest import ROOT
from .months import month_data, write_month
from .test_corpus import CATEGORIES, corpus_month, periods
from .word_reports import source_documents, source_pair, write_report

FIGURES = ("summary", "regions")


def _hearings(folder: Path, *args: str) -> tuple[int, str]:
    done = subprocess.run([sys.executable, "-m", "hearings", *args], cwd=folder,
                          capture_output=True, text=True,
                          env={**os.environ, "HEARINGS_LANG": "en"})
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode, done.stdout + done.stderr


def _invoke(folder: Path, args) -> tuple[int, str]:
    return _hearings(folder, "import", *args)


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> tuple[Path, dict]:
    folder = tmp_path_factory.mktemp("source")
    source_pair(folder / "archive")
    code, out = _invoke(folder, ["archive", "--format", "json"])
    assert code == 1, out
    return folder, json.loads(out)


def _codes(result: dict, file_part: str) -> Counter:
    return Counter(f["code"] for m in result["months"] for f in m["findings"]
                   if file_part in f["file"])


def test_the_source_pair_gives_the_russian_tables_figures_exactly(source) -> None:
    folder, result = source
    month = result["months"][0]
    assert month["period"] == "2020-08" and month["written"] == "data/2020-08.yaml"
    imported = load(folder / "data" / "2020-08.yaml").data
    typed = load(ROOT / "data" / "2020-08.yaml").data  # the Russian table, entered by hand
    for key in FIGURES:
        assert imported[key] == typed[key], key
    assert month["errors_in_written_file"] == 0


def test_the_kazakh_report_has_six_rows_that_do_not_add_up(source) -> None:
    _folder, result = source
    rows = [f for m in result["months"] for f in m["findings"]
            if f["code"] in ("row-total-mismatch", "total-not-assessed")]
    assert all("Талдау" in f["file"] for f in rows)
    assert sorted((f["row"], f["found"], f["expected"]) for f in rows) == [
        (5, 4, 3), (6, 4, 3), (7, 1, 0), (10, 3, 2), (19, 1, 2), (20, None, 0)]
    assert {f["column"] for f in rows} == {12}


def test_the_missing_column_and_every_disagreeing_cell_are_named(source) -> None:
    _folder, result = source
    findings = result["months"][0]["findings"]
    missing = [f for f in findings if f["code"] == "column-missing"]
    assert len(missing) == 1 and "Талдау" in missing[0]["file"]
    assert "Хабарландыру жоқ, бірақ хаттама бар" in missing[0]["message"]
    disagree = {(f["row"], f["column"]): (f["found"], f["expected"]) for f in findings
                if f["code"] == "languages-disagree"}
    # rubric-mismatch is column 9 in both tables, the totals column 12 (kk) and 13 (ru): the
    # Kazakh values sit under the wrong headers, or are dashes where Russian has figures
    assert disagree == {(5, 9): (0, 1), (6, 9): (0, 1), (7, 9): (0, 1), (8, 9): (2, 0),
                        (9, 9): (1, 0), (10, 9): (0, 1), (19, 12): (1, 2),
                        (20, 9): ("n/a", 1), (20, 12): ("n/a", 1)}
    for f in findings:
        if f["code"] == "languages-disagree":
            assert "Анализ" in f["message"]  # the other place is named too


def test_the_june_labels_and_the_latin_letter_are_named(source) -> None:
    _folder, result = source
    findings = result["months"][0]["findings"]
    labels = [(Path(f["file"]).name, f["found"]) for f in findings
              if f["code"] == "totals-row-other-month"]
    assert sorted(labels) == [("Анализ август.docx", "Итого за июнь:"),
                              ("Талдау тамыз.docx", "Маусым :")]
    mixed = [f for f in findings if f["code"] == "mixed-script"]
    assert [(f["row"], f["column"]) for f in mixed] == [(4, 2)]
    assert "Cұлтан" in mixed[0]["message"]


def test_no_paragraph_is_lost(source) -> None:
    folder, _result = source
    text = (folder / "data" / "2020-08.yaml").read_text(encoding="utf-8")
    data = load(folder / "data" / "2020-08.yaml").data
    flat = " ".join(text.replace("#", " ").split())
    for parts in source_documents():
        paragraphs = [p for p in parts if isinstance(p, str) and p.strip()]
        assert len(paragraphs) in (20, 21)  # the Russian title stands on two lines
        for paragraph in paragraphs:  # each in the free texts, or kept as a record
            words = " ".join(paragraph.split()[:8])
            assert words in flat, words
    assert len(data["observations"]) == 6 and len(data["closing"]) == 3


def test_the_imported_month_builds_into_the_russian_table(source, tmp_path) -> None:
    folder, _result = source
    code, out = _hearings(folder, "build", "2020-08")
    assert code == 0, out
    built = Document(folder / "reports" / "2020-08" / "2020-08-ru.docx").tables[0]
    ru, _kk = source_documents()
    table = next(p for p in ru if isinstance(p, list))
    for row in range(3, 20):
        printed = [text for text, _span, _merge in table[row]][2:]
        ours = [c.text for c in built.rows[row].cells][2:]
        assert [t.replace("-", "–") for t in printed] == ours, row


def _variant(folder: Path, period: str = "2021-03", *, count_in_text: int | None = None
             ) -> tuple[Path, Path]:
    """A month typed by another hand: other header words, full region names, empty cells
    for zeros, a totals row that is right."""
    data = month_data(period, {("almaty-oblast", "protocol-missing"): 5,
                               ("kostanay", "less-than-20-days"): 1})
    month = Period.parse(period)
    names = {"ru": format_date(month.first_day, "LLLL", locale="ru"),
             "kk": format_date(month.first_day, "MMMM", locale="kk")}
    docs = {}
    for lang in ("ru", "kk"):
        from hearings.month.reference import reference
        ref = reference()
        head = ({"ru": ["№", "Регион", "Размещено", "", "Выявлено нарушений"] ,
                 "kk": ["р/с", "Өңір", "Орналастырылған", "", "Бұзушылықтар"]}[lang])
        groups = [c.header[lang] for c in ref.categories_in_force(month)]
        groups[0] = {"ru": "Менее 20 дней", "kk": "20 күннен кем"}[lang]
        total = {"ru": "Всего", "kk": "Жиыны"}[lang]
        rows = [[(head[0], 1, "restart"), (head[1], 1, "restart"), (head[2], 2, None),
                 (head[4], 9, None)],
                [("", 1, "continue"), ("", 1, "continue"),
                 ({"ru": "Объявлений", "kk": "Хабарландыру"}[lang], 1, None),
                 ({"ru": "Протоколов", "kk": "Хаттама"}[lang], 1, None),
                 *[(g, 1, None) for g in groups], (total, 1, None)]]
        for index, region in enumerate(ref.regions_in_force(month), 1):
            row = data["regions"][region.code]
            cells = [row["announcements"], row["protocols"], *row["violations"].values(),
                     row["total"]]
            rows.append([(str(index), 1, None), (region.name(month).forms[lang]["official"], 1,
                                                 None),
                         *[("" if v == 0 else str(v), 1, None) for v in cells]])
        sums = [data["summary"]["announcements"], data["summary"]["protocols"],
                *[sum(r["violations"][c.code] for r in data["regions"].values())
                  for c in ref.categories_in_force(month)], data["summary"]["violations"]]
        rows.append([({"ru": "Итого", "kk": "Барлығы"}[lang], 2, None),
                     *[(str(v), 1, None) for v in sums]])
        shown = count_in_text if count_in_text is not None else 5
        title = {"ru": f"Анализ работы интернет-ресурсов за {names['ru']} {month.year} года",
                 "kk": f"{month.year} жылғы {names['kk']} айындағы талдау"}[lang]
        summary = {"ru": [f"{data['summary']['announcements']} – объявлений;",
                          f"{data['summary']['protocols']} – протоколов.",
                          f"Выявлено нарушений – {data['summary']['violations']}:",
                          "1 – по объявлениям;", "5 – по протоколам."],
                   "kk": [f"{data['summary']['announcements']} – хабарландыру;",
                          f"{data['summary']['protocols']} – хаттама;",
                          f"бұзушылықтар – {data['summary']['violations']};",
                          "1 – хабарландыру бойынша;", "5 – хаттама бойынша."]}[lang]
        narrative = {"ru": "Выявлено отсутствие протоколов (нарушение пп. 19, 28 Правил): "
                           f"Алматинская обл. ({shown}).",
                     "kk": "Хаттамалары болмағаны анықталды (Қағидалардың 19, 28-тармақтарын "
                           f"бұзу): Алматы обл. ({shown})."}[lang]
        closing = {"ru": "Работа в данном направлении продолжается.",
                   "kk": "Бұл бағыттағы жұмыстар жалғасуда."}[lang]
        docs[lang] = write_report(folder / f"{period}-{lang}-typed.docx",
                                  [title, *summary, rows, narrative, closing])
    return docs["ru"], docs["kk"]


@pytest.mark.parametrize(("period", "empty"), [("2021-03", 149), ("2022-10", 176)])
def test_a_month_typed_by_another_hand(tmp_path, period, empty) -> None:
    """Before and after the 2021 Rules; 2022-10 with its 20 regions and Astana."""
    _variant(tmp_path / "in", period)
    code, out = _invoke(tmp_path, ["in", "--format", "json"])
    result = json.loads(out)
    month = result["months"][0]
    assert code == 0, out
    assert month["written"] == f"data/{period}.yaml"
    # the zeros typed as empty cells: said once per table, with where they are
    assert [(f["code"], f["found"]) for f in month["findings"]] == [("cells-empty", None)] * 2
    assert f"{empty} empty cells read as 0: row 3 column 5" in month["findings"][0]["message"]
    imported = load(tmp_path / "data" / f"{period}.yaml").data
    expected = month_data(period, {("almaty-oblast", "protocol-missing"): 5,
                                   ("kostanay", "less-than-20-days"): 1})
    for key in FIGURES:
        assert imported[key] == expected[key], key


def test_figures_as_typed() -> None:
    from hearings.archive.table import figure as _figure
    assert [_figure(t) for t in ("1 234", "1\u00a0234", "12", "–", "-", "—", "n/a", "1,5",
                                 "две")] == [1234, 1234, 12, "n/a", "n/a", "n/a", "n/a", None,
                                             None]


def test_a_count_in_the_text_that_the_table_does_not_have(tmp_path) -> None:
    _variant(tmp_path / "in", count_in_text=6)
    code, out = _invoke(tmp_path, ["in"])
    assert code == 1
    assert ("error [narrative-count-mismatch] the text says Алматинская (6) under "
            "«Отсутствует», the table 5") in out
    assert "2021-03-ru-typed.docx, paragraph 7" in out


def test_a_folder_of_months_with_bad_files_and_its_summary(tmp_path) -> None:
    folder = tmp_path / "archive"
    source_pair(folder / "2020")
    _variant(folder / "2021")
    (folder / "notes.docx").write_bytes(b"not a zip at all")
    write_report(folder / "letter.docx", ["Уважаемые коллеги!", "Направляем отчет."])
    write_report(folder / "quarter.docx", ["Анализ работы за III квартал 2021 года", "Текст."])
    with zipfile.ZipFile(folder / "broken.docx", "w") as archive:
        archive.writestr("word/document.xml", "<w:document")
    with zipfile.ZipFile(folder / "bomb.docx", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<" + b" " * (80 * 1024 * 1024))
    os.mkfifo(folder / "pipe.docx")
    write_report(folder / "other-table.docx", [
        "Анализ работы интернет-ресурсов за май 2021 года",
        [[("Дата", 1, None), ("Событие", 1, None)], [("01.05", 1, None), ("—", 1, None)]]])
    code, out = _invoke(tmp_path, ["archive"])
    assert code == 1
    assert "notes.docx: error [file-unreadable]" in out
    assert "letter.docx: error [not-a-report]" in out
    assert "quarter.docx, paragraph 1: error [not-monthly]" in out
    assert "broken.docx: error [file-unreadable]" in out
    assert "bomb.docx: error [file-unreadable] the file cannot be read: it unpacks to more " \
        "than a report holds (80 MB)" in out
    assert "pipe.docx: error [file-unreadable] the file cannot be read: it is not a regular " \
        "file (a named pipe)" in out
    assert "other-table.docx: error [language-missing]" in out
    assert "2 months imported, 1 refused, 6 files not read as a month's report" in out
    assert "  2020-08: imported; findings: cells-empty" not in out
    assert "  2020-08: imported; findings: column-missing 1, languages-disagree 9" in out
    assert "  2021-03: imported" in out
    assert (tmp_path / "data" / "2020-08.yaml").exists()
    assert (tmp_path / "data" / "2021-03.yaml").exists()


def test_a_lone_table_that_is_not_this_reports(tmp_path) -> None:
    for lang, title in (("ru", "Анализ работы за май 2021 года"),
                        ("kk", "2021 жылғы мамыр айындағы талдау")):
        write_report(tmp_path / "in" / f"{lang}.docx", [title, [[("Дата", 1, None)],
                                                               [("01.05", 1, None)]]])
    code, out = _invoke(tmp_path, ["in"])
    assert code == 1
    assert "error [table-missing] no table lists the regions of 2021-05" in out
    assert "  2021-05: refused: table-missing" in out
    assert not (tmp_path / "data").exists()


def test_a_monthly_file_is_never_overwritten_without_force(tmp_path) -> None:
    _variant(tmp_path / "in")
    write_month(tmp_path / "data", month_data("2021-03"))
    before = (tmp_path / "data" / "2021-03.yaml").read_bytes()
    code, out = _invoke(tmp_path, ["in"])
    assert code == 1 and "error [month-exists]" in out
    assert (tmp_path / "data" / "2021-03.yaml").read_bytes() == before
    code, out = _invoke(tmp_path, ["in", "--force"])
    assert code == 0, out
    assert (tmp_path / "data" / "2021-03.yaml").read_bytes() != before


def test_from_kazakh_takes_the_kazakh_table_as_typed(tmp_path) -> None:
    source_pair(tmp_path / "archive")
    code, out = _invoke(tmp_path, ["archive", "--from", "kk"])
    assert code == 1  # the Kazakh table's rows do not add up
    imported = load(tmp_path / "data" / "2020-08.yaml").data
    assert imported["regions"]["almaty-city"]["total"] == 4
    assert imported["regions"]["almaty-city"]["violations"]["rubric-mismatch"] == 0
    # the column the Kazakh table lacks comes from the Russian one, and says so
    assert imported["regions"]["atyrau"]["violations"]["protocol-without-announcement"] == 1
    assert "protocol-without-announcement: from archive/Анализ август.docx" in (
        tmp_path / "data" / "2020-08.yaml").read_text(encoding="utf-8")
    assert "languages-disagree" in out


# every ninth month of the corpus (10 months, 2019-07 to 2026-04); HEARINGS_IMPORT_EVERY=1
# takes all 90
ROUND_TRIP = int(os.environ.get("HEARINGS_IMPORT_EVERY", "9"))


def test_every_report_this_tool_builds_imports_back_to_its_figures_and_texts(tmp_path) -> None:
    built = tmp_path / "built"
    chosen = [(index, period) for index, period in enumerate(periods())
              if index % ROUND_TRIP == 0]
    months = {}
    for index, period in chosen:
        data = corpus_month(index, period)
        write_month(built / "data", data)
        months[str(period)] = data
    code, out = _hearings(built, "build", "--all")
    assert code == 0, out
    again = tmp_path / "again"
    code, out = _invoke(again.parent, ["built/reports", "--data", "again/data"])
    assert code == 0, out
    for period, data in months.items():
        imported = load(again / "data" / f"{period}.yaml").data
        for key in (*FIGURES, "signatory", "executor"):
            assert imported[key] == data[key], (period, key)
        for kind in ("observations", "closing"):  # the closing told apart by its style
            assert [(o["ru"], o["kk"]) for o in imported[kind]] == [
                (o["ru"], o["kk"]) for o in data[kind]], (period, kind)
        # an observation keeps its category; one of the last category printed stands where
        # one of no category would, and is read as such
        found = [c for c in CATEGORIES if any(row["violations"].get(c, 0) not in (0, "n/a")
                                              for row in data["regions"].values())]
        for mine, back in zip(data["observations"], imported["observations"], strict=True):
            if mine.get("category") and mine["category"] == found[-1]:
                assert back.get("category") in (None, mine["category"]), period
            else:
                assert back.get("category") == mine.get("category"), period
    code, out = _hearings(again, "build", "--all")
    assert code == 0, out
    for period in months:
        for lang in ("ru", "kk"):
            first = built / "reports" / period / f"{period}-{lang}.docx"
            second = again / "reports" / period / f"{period}-{lang}.docx"
            assert full_text(second.read_bytes()) == full_text(first.read_bytes()), period


@pytest.mark.system
def test_old_word_files_are_converted_with_libreoffice_first(source, tmp_path) -> None:
    _folder, result = source
    source_pair(tmp_path / "docx")
    (tmp_path / "doc").mkdir()
    done = subprocess.run(["soffice", "--headless", "--norestore",
                           f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
                           "--convert-to", "doc", "--outdir", str(tmp_path / "doc"),
                           *map(str, sorted((tmp_path / "docx").glob("*.docx")))],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    # LibreOffice reads anything as text: a damaged file comes out as no month's report
    (tmp_path / "doc" / "damaged.doc").write_bytes(b"\xd0\xcf\x11\xe0 not really")
    code, out = _invoke(tmp_path, ["doc", "--format", "json"])
    converted = json.loads(out)
    assert code == 1
    assert [(Path(f["file"]).name, f["code"]) for f in converted["files"]] == [
        ("damaged.doc", "not-a-report")]
    assert _codes(converted, "doc/") == _codes(result, "archive/")
    assert load(tmp_path / "data" / "2020-08.yaml").data["regions"] == load(
        ROOT / "data" / "2020-08.yaml").data["regions"]


def test_the_month_after_an_imported_one_compares_itself_with_it(source, tmp_path) -> None:
    folder, _result = source
    work = tmp_path / "work"
    (work / "data").mkdir(parents=True)
    (work / "data" / "2020-08.yaml").write_bytes(
        (folder / "data" / "2020-08.yaml").read_bytes())
    write_month(work / "data", month_data("2020-09", {("kostanay", "backdated"): 2}))
    code, out = _hearings(work, "build", "2020-09")
    assert code == 0, out
    text = full_text((work / "reports" / "2020-09" / "2020-09-ru.docx").read_bytes())
    assert "За август 2020 года выявлено 43 нарушения, за сентябрь – 2" in text
    code, out = _hearings(work, "year", "2020-Q3", "--partial")
    assert code == 0, out
    code, out = _hearings(work, "export")
    assert code == 0, out
    rows = (work / "reports" / "open-data" / "violations.csv").read_text(encoding="utf-8")
    assert rows.count("\n2020-08,") == 17 * 8 and rows.count("\n2020-09,") == 17 * 8


def test_a_data_folder_that_cannot_be_written_is_a_message(tmp_path) -> None:
    _variant(tmp_path / "in")
    (tmp_path / "data").write_text("a file where the folder should be", encoding="utf-8")
    code, out = _invoke(tmp_path, ["in"])
    assert code == 1
    assert "data/2021-03.yaml: error [write-failed] data/2021-03.yaml cannot be written" in out
    assert "  2021-03: refused: write-failed" in out


@pytest.mark.system
def test_two_imports_of_one_month_at_once_write_it_once(tmp_path) -> None:
    source_pair(tmp_path / "archive")
    rounds = []
    for attempt in range(3):
        folder = tmp_path / f"round-{attempt}"
        folder.mkdir()
        (folder / "archive").symlink_to(tmp_path / "archive")
        runs = [subprocess.Popen([sys.executable, "-m", "hearings", "import", "archive"],
                                 cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 text=True, env={**os.environ, "HEARINGS_LANG": "en"})
                for _ in range(2)]
        outputs = [run.communicate(timeout=120) for run in runs]
        assert not any("Traceback" in err or "unexpected error" in err for _out, err in outputs)
        said = [out for out, _err in outputs]
        rounds.append(sorted("error [month-exists]" in out for out in said))
        assert sum("data/2020-08.yaml: written" in out for out in said) == 1, said
        assert load(folder / "data" / "2020-08.yaml").data["regions"] == load(
            ROOT / "data" / "2020-08.yaml").data["regions"]
    assert all(state == [False, True] for state in rounds), rounds


def test_a_column_the_folder_retired_is_written_and_named_never_dropped(tmp_path) -> None:
    """The August 2020 pair imported into a folder whose own categories retired
    rubric-mismatch before then: its counts are written as the reports have them, and
    validate names the column as not in force, rather than losing it."""
    source_pair(tmp_path / "archive")
    (tmp_path / "reference").mkdir()
    (tmp_path / "reference" / "categories.yaml").write_text(
        "categories:\n  - code: rubric-mismatch\n    valid_until: 2020-07-31\n"
        "    source: a test entry, not an act\n", encoding="utf-8")
    code, out = _invoke(tmp_path, ["archive"])
    assert code == 1, out
    data = load(tmp_path / "data" / "2020-08.yaml").data
    typed = load(Path(__file__).parent.parent / "data" / "2020-08.yaml").data
    assert {code: row["violations"]["rubric-mismatch"] for code, row in data["regions"].items()
            } == {code: row["violations"]["rubric-mismatch"]
                  for code, row in typed["regions"].items()}
    code, out = _hearings(tmp_path, "validate", "data/2020-08.yaml")
    assert code == 1
    assert out.count("[category-not-in-force]") == 17, out
