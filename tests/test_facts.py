"""Facts belong to the folder worked in: its reference/facts.yaml adds rows to the package's
and takes precedence over them, fact by fact and day by day; `facts` says what a month will
state and where each fact comes from; `new` says what is missing, with what to paste."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from hearings.commands.cli import main
from hearings.documents.parity import full_text
from hearings.files.workspace import Workspace
from hearings.month.reference import Period

from .months import month_data, write_month

CLAUSES_286 = """\
clauses:
  - edition: order-286-2024
    source: made up for the test, read 2026-12-01
    less-than-20-days:
      ru: нарушение п. 9 Правил
      kk: Қағидалардың 9-тармағын бұзу
    posted-after-survey-start: none
    survey-period-missing:
      ru: нарушение п. 10 Правил
      kk: Қағидалардың 10-тармағын бұзу
    backdated: none
    rubric-mismatch: none
    protocol-without-announcement: none
    placement-date-missing:
      ru: нарушение пп. 20, 21 Правил
      kk: Қағидалардың 20, 21-тармақтарын бұзу
    protocol-missing:
      ru: нарушение п. 22 Правил
      kk: Қағидалардың 22-тармағын бұзу
"""
DEPARTMENTS_2026 = """\
departments:
  usual:
    - valid_from: 2026-01-01
      valid_until: 2026-12-31
      source: made up for the test, read 2026-12-01
      ru: управлений экологии и природопользования
      kk: экология және табиғат пайдалану басқармаларының
"""


def _in(folder: Path, *args: str, lang: str = "en"):
    cwd = Path.cwd()
    os.chdir(folder)
    try:
        return CliRunner().invoke(main, ["--lang", lang, *args])
    finally:
        os.chdir(cwd)


def _facts(folder: Path, text: str) -> None:
    (folder / "reference").mkdir(parents=True, exist_ok=True)
    (folder / "reference" / "facts.yaml").write_text(text, encoding="utf-8")


def _month_with_everything(folder: Path, period: str = "2026-11") -> Path:
    findings = {("astana", "less-than-20-days"): 2, ("abai", "protocol-missing"): 1,
                ("shymkent", "placement-date-missing"): 3}
    return write_month(folder / "data", month_data(period, findings))


def test_the_folder_s_clauses_and_departments_make_a_month_ready_to_sign(tmp_path) -> None:
    _month_with_everything(tmp_path)
    before = _in(tmp_path, "validate", "--strict")
    assert before.exit_code == 1
    assert before.output.count("[fact-left-out]") == 2
    _facts(tmp_path, CLAUSES_286 + DEPARTMENTS_2026)
    after = _in(tmp_path, "validate", "--strict")
    assert after.exit_code == 0, after.output
    assert after.output.startswith("reference/facts.yaml: valid\n")
    built = _in(tmp_path, "build", "--strict")
    assert built.exit_code == 0, built.output
    ru = full_text((tmp_path / "reports" / "2026-11" / "2026-11-ru.docx").read_bytes())
    kk = full_text((tmp_path / "reports" / "2026-11" / "2026-11-kk.docx").read_bytes())
    assert "территориальных управлений экологии и природопользования местных" in ru
    assert "(нарушение п. 9 Правил): г. Астана (2)." in ru
    assert "(нарушение п. 22 Правил): обл. Абай (1)." in ru
    assert "(Қағидалардың 20, 21-тармақтарын бұзу): Шымкент қ. (3)." in kk
    assert "экология және табиғат пайдалану басқармаларының" in kk


def test_the_folder_takes_precedence_day_by_day(tmp_path) -> None:
    """A folder's ministry row for August 2020 only: August states it, September the
    package's; an `unknown` row of the folder is not filled from the package either."""
    _facts(tmp_path, """\
ministry:
  - valid_from: 2020-08-01
    valid_until: 2020-08-31
    source: made up for the test
    ru: Министерство для проверки
    kk: Тексеру министрлігі
  - valid_from: 2020-10-01
    valid_until: 2020-10-31
    unknown: made up for the test
""")
    facts = Workspace(tmp_path).facts()
    august, september = facts.for_month(Period(2020, 8)), facts.for_month(Period(2020, 9))
    assert august.text(august.ministry, "ru") == "Министерство для проверки"
    assert august.ministry.origin == str(tmp_path / "reference" / "facts.yaml")
    assert september.text(september.ministry, "ru").startswith("Министерство экологии, геол")
    assert september.ministry.origin == "package"
    october = facts.for_month(Period(2020, 10))
    assert october.ministry is None and [gap.key for gap in october.gaps] == ["ministry"]


def test_a_folder_s_clause_replaces_the_package_s_one_category_at_a_time(tmp_path) -> None:
    _facts(tmp_path, """\
clauses:
  - edition: order-135-p
    source: made up for the test
    protocol-missing:
      ru: нарушение п. 28 Правил
      kk: Қағидалардың 28-тармағын бұзу
""")
    month = Workspace(tmp_path).facts().for_month(Period(2020, 8))
    clauses = month.rules.clauses
    assert clauses["protocol-missing"].value["ru"] == "нарушение п. 28 Правил"
    assert clauses["less-than-20-days"].value["ru"] == "нарушение п. 12 Правил"  # the package's


def test_a_folder_s_wording_replaces_a_category_s_sentences(tmp_path) -> None:
    _facts(tmp_path, CLAUSES_286 + DEPARTMENTS_2026 + """\
wording:
  - edition: order-286-2024
    source: made up for the test
    less-than-20-days:
      ru:
        one: Объявление опубликовано менее чем за 20 рабочих дней до общественных слушаний
        many: Объявления опубликованы менее чем за 20 рабочих дней до общественных слушаний
      kk:
        one: Хабарландыру тыңдауларға 20 жұмыс күнінен аз уақыт қалғанда жарияланды
        many: Хабарландырулар тыңдауларға 20 жұмыс күнінен аз уақыт қалғанда жарияланды
""")
    _month_with_everything(tmp_path)
    assert _in(tmp_path, "build").exit_code == 0
    ru = full_text((tmp_path / "reports" / "2026-11" / "2026-11-ru.docx").read_bytes())
    assert "Объявления опубликованы менее чем за 20 рабочих дней до общественных слушаний " \
           "(нарушение п. 9 Правил): г. Астана (2)." in ru


@pytest.mark.parametrize("command", [["build"], ["validate"], ["year", "2026", "--partial"],
                                     ["export"], ["new", "2026-12"], ["facts"]])
def test_a_facts_file_with_errors_stops_every_command(tmp_path, command) -> None:
    _month_with_everything(tmp_path)
    _facts(tmp_path, "ministry:\n  - valid_from: 2026-01-01\n    ru: a\n    kk: b\n")
    result = _in(tmp_path, *command)
    assert result.exit_code == 1, result.output
    assert ("reference/facts.yaml:2:5: error [missing-key] the key 'source' is missing"
            in result.output)
    assert not (tmp_path / "reports").exists()
    assert not (tmp_path / "data" / "2026-12.yaml").exists()


def test_a_facts_file_that_is_not_a_file_is_named_not_read(tmp_path) -> None:
    _month_with_everything(tmp_path)
    (tmp_path / "reference").mkdir()
    os.mkfifo(tmp_path / "reference" / "facts.yaml")
    result = _in(tmp_path, "validate")
    assert result.exit_code == 1
    assert ("reference/facts.yaml:1:1: error [file-unreadable] the file cannot be read: it is "
            "not a regular file (a named pipe)") in result.output


def test_new_says_which_facts_are_unknown_and_the_snippet_completes_them(tmp_path) -> None:
    created = _in(tmp_path, "new", "2026-11")
    assert created.exit_code == 0, created.output
    said = created.output
    assert "not known for 2026-11, to be added to reference/facts.yaml before the reports are " \
           "signed:" in said
    assert "  - the departments whose websites are monitored" in said
    assert "Protocol missing" in said  # every category's clause, findings or not yet
    # what it says to paste, filled in, is a facts file that makes the month's facts known
    blocks = re.findall(r"(?m)^      # .*\n((?:      .*\n)+)", said)
    assert len(blocks) == 2
    text = "".join(re.sub(r"(?m)^      ", "", block) for block in blocks)
    text = re.sub(r"(?m)^\s*# .*\n", "", text)
    text = re.sub(r"  # .*", "", text)
    text = text.replace("source: ...", "source: made up for the test")
    text = text.replace("ru: ...", "ru: управлений").replace("kk: ...", "kk: басқармаларының")
    text = text.replace("п. ...", "п. 5").replace("...-тармағын", "5-тармағын")
    _facts(tmp_path, text)
    facts = _in(tmp_path, "facts", "2026-11")
    assert facts.exit_code == 0, facts.output + text
    assert facts.output.rstrip().endswith("every fact is known")


def test_facts_of_a_month_in_russian_and_kazakh(tmp_path) -> None:
    _facts(tmp_path, CLAUSES_286)
    ru = _in(tmp_path, "facts", "2026-11", lang="ru")
    assert ru.exit_code == 0, ru.output
    assert ru.output.startswith("2026-11: что скажут отчеты, по сведениям, действующим на "
                                "2026-11-30\n")
    assert "  министерство: Министерство экологии и природных ресурсов Республики Казахстан" \
           in ru.output
    assert "из пакета, действует с 2023-01-03; источник: переименовано Указом Президента, " \
           "подписанным 3 января 2023 года" in ru.output
    assert "    Объявление менее чем за 20 дней до слушаний: нарушение п. 9 Правил / " \
           "Қағидалардың 9-тармағын бұзу\n" \
           "        из reference/facts.yaml:4; источник: made up for the test" in ru.output
    assert "  управления: неизвестно" in ru.output
    assert "  регионы (20):" in ru.output
    kk = _in(tmp_path, "facts", "2026-11", lang="kk")
    assert "  министрлік: Министерство экологии и природных ресурсов" in kk.output
    assert "  басқармалар: белгісіз" in kk.output
    assert "2026-11 үшін белгісіз, есептерге қол қойылғанға дейін reference/facts.yaml " \
           "файлына қосу керек:" in kk.output


def test_facts_over_every_month_says_what_is_missing(tmp_path) -> None:
    for period in ("2020-08", "2021-09", "2026-11"):
        write_month(tmp_path / "data", month_data(period))
    (tmp_path / "data" / "notes.yaml").write_text("not a month\n", encoding="utf-8")
    _facts(tmp_path, DEPARTMENTS_2026)
    result = _in(tmp_path, "facts")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "2020-08: every fact is known"
    assert lines[1].startswith("2021-09: the departments whose websites are monitored; the "
                               "clauses of the Rules (№ 286) that these categories break:")
    assert lines[2].startswith("2026-11: the clauses of the Rules (№ 286 (2024))")
    assert lines[3].startswith("1 of 3 months have every fact; add what is missing to "
                               "reference/facts.yaml")
    data = json.loads(_in(tmp_path, "facts", "--format", "json").output)
    assert [month["period"] for month in data["months"]] == ["2020-08", "2021-09", "2026-11"]
    alone = tmp_path / "alone"
    (alone / "data").mkdir(parents=True)
    shutil.copy(tmp_path / "data" / "2020-08.yaml", alone / "data")
    assert _in(alone, "facts").output.splitlines()[-1] == "1 month has every fact"
    november = data["months"][2]
    assert november["departments"]["origin"] == "reference/facts.yaml"
    assert november["clauses"]["backdated"] == {"known": False}
    assert [gap["key"] for gap in november["unknown"]] == ["clauses"]
