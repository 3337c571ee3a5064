"""What a folder brings is untrusted: a template reaches only its context, a damaged or
crafted template is a message naming it, and a damaged cache of compiled templates can never
change a report."""

from __future__ import annotations

import io
import json
import os
import random
import shutil
import zipfile
from pathlib import Path

import babel
import babel.dates
import babel.numbers
import pytest
from click.testing import CliRunner

from hearings.commands.cli import main
from hearings.documents import localize, render, sandbox
from hearings.documents.report import build
from hearings.files.cache import payload_of
from hearings.files.workspace import PACKAGED_TEMPLATES, Workspace
from hearings.month.reference import read_reference

from .conftest import SIGNED

TRIALS = int(os.environ.get("HEARINGS_CACHE_TRIALS", 40))


def crafted(payload: str, lang: str = "ru", name: str = "report") -> bytes:
    """The packaged template with `payload` after the title's tag in its main document."""
    source = zipfile.ZipFile(PACKAGED_TEMPLATES / lang / f"{name}.docx")
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml":
                data = data.replace(b"{{ title }}", b"{{ title }}" + payload.encode(), 1)
            target.writestr(info, data)
    return output.getvalue()


def _folder(tmp_path: Path) -> Path:
    (tmp_path / "data").mkdir()
    shutil.copy(SIGNED, tmp_path / "data" / "2020-08.yaml")
    (tmp_path / "templates" / "ru").mkdir(parents=True)
    return tmp_path


def _build_in(folder: Path, *args: str):
    cwd = Path.cwd()
    os.chdir(folder)
    try:
        return CliRunner().invoke(main, ["build", *args])
    finally:
        os.chdir(cwd)


# Each payload, and the words the refusal must say. The first ones all worked before the
# sandbox: they ran a command or read a file.
PAYLOADS = [
    # jinja's globals are gone: what is left of them is an undefined name
    ("{{ cycler.__init__.__globals__.os.system('id > MARK') }}", "'__init__' of 'StrictUnd"),
    ("{{ lipsum.__globals__['os'].popen('id > MARK').read() }}", "'lipsum' is undefined"),
    ("{{ joiner.__init__.__globals__.os.system('id > MARK') }}", "'__init__' of 'StrictUnd"),
    ("{{ namespace.__init__.__globals__.os.system('id > MARK') }}", "'__init__' of 'Strict"),
    ("{{ lipsum() }}", "'lipsum' is undefined"),
    ("{{ self.__init__.__globals__.__builtins__.open('/etc/hostname').read() }}",
     "'__init__' of 'TemplateReference'"),
    ("{{ self._TemplateReference__context }}", "'_TemplateReference__context'"),
    ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "'__class__' of 'str'"),
    ("{{ title.__class__.__base__.__subclasses__() }}", "'__class__' of 'str'"),
    ("{{ title|attr('__class__') }}", "No filter named 'attr'"),
    ("{{ '{0.__class__}'.format(title) }}", "'format' of 'str'"),
    ("{{ '{:>999999999}'.format(1) }}", "'format' of 'str'"),
    ("{{ '%999999999d' % 1 }}", "formatting a text with %"),
    ("{% set x = 'a' * 10**9 %}", "too large"),
    ("{{ title.ljust(999999999) }}", "a number above 100000 passed to ljust"),
    ("{{ range(10**9)|list }}", "No filter named 'list'"),
    ("{{ range(10) }}", "'range' is undefined"),
    ("{{ summary.groups.append(1) }}", "'append' of 'list'"),
    ("{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}", "calls itself without end"),
    ("{{ config }}", "undefined name"),
]


@pytest.mark.parametrize(("payload", "said"), PAYLOADS, ids=[p for p, _ in PAYLOADS])
def test_a_crafted_template_reaches_nothing_and_is_named(tmp_path, payload, said) -> None:
    folder = _folder(tmp_path)
    payload = payload.replace("MARK", str(folder / "MARK"))
    (folder / "templates" / "ru" / "report.docx").write_bytes(crafted(payload))
    result = _build_in(folder)
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Error: templates/ru/report.docx:" in result.output
    assert said in result.output
    assert not (folder / "MARK").exists()
    assert not (folder / "reports").exists() or not any((folder / "reports").iterdir())


def test_the_kazakh_and_the_year_templates_are_sandboxed_too(tmp_path) -> None:
    folder = _folder(tmp_path)
    (folder / "templates" / "kk").mkdir()
    (folder / "templates" / "kk" / "report.docx").write_bytes(
        crafted("{{ cycler.__init__ }}", "kk"))
    result = _build_in(folder)
    assert result.exit_code == 1 and "templates/kk/report.docx:" in result.output
    (folder / "templates" / "kk" / "report.docx").unlink()
    (folder / "templates" / "ru" / "year.docx").write_bytes(
        crafted("{{ self.__init__ }}", "ru", "year"))
    cwd = Path.cwd()
    os.chdir(folder)
    try:
        result = CliRunner().invoke(main, ["year", "2020-Q3", "--partial"])
    finally:
        os.chdir(cwd)
    assert result.exit_code == 1, result.output
    assert "templates/ru/year.docx: the template reaches for what a template may not" \
        in result.output


def _damaged(folder: Path, kind: str) -> None:
    path = folder / "templates" / "ru" / "report.docx"
    good = (PACKAGED_TEMPLATES / "ru" / "report.docx").read_bytes()
    if kind == "not-a-zip":
        path.write_bytes(b"not a Word document")
    elif kind == "truncated":
        path.write_bytes(good[:len(good) // 2])
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "bad-xml":
        path.write_bytes(crafted("<w:p>"))
    elif kind == "no-document":
        output = io.BytesIO()
        with zipfile.ZipFile(output, "w") as package:
            package.writestr("[Content_Types].xml", "<Types/>")
        path.write_bytes(output.getvalue())
    elif kind == "syntax":
        path.write_bytes(crafted("{% if %}"))
    elif kind == "folder":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        path.symlink_to("/dev/zero")
    elif kind == "dangling-link":
        path.symlink_to(folder / "nowhere.docx")


DAMAGE = {
    "not-a-zip": "is not a Word document (.docx)",
    "truncated": "is not a Word document (.docx)",
    "empty": "is not a Word document (.docx)",
    "bad-xml": "is not a usable report template",
    "no-document": "is not a usable report template",
    "syntax": "template syntax error",
    "folder": "cannot be read: it is not a regular file (a folder)",
    "fifo": "cannot be read: it is not a regular file (a named pipe)",
    "device": "cannot be read: it is not a regular file (a device)",
    "dangling-link": "cannot be read: it is a link to nothing",
}


@pytest.mark.parametrize("kind", DAMAGE)
def test_a_damaged_template_is_a_message_never_the_packaged_one(tmp_path, kind) -> None:
    folder = _folder(tmp_path)
    _damaged(folder, kind)
    result = _build_in(folder)
    assert result.exit_code == 1, result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception,
                                                                     SystemExit)
    assert f"Error: templates/ru/report.docx {DAMAGE[kind]}" in result.output \
        or f"Error: templates/ru/report.docx: {DAMAGE[kind]}" in result.output
    assert not (folder / "reports").exists() or not any((folder / "reports").iterdir())


def test_a_template_that_unpacks_to_too_much_is_refused(tmp_path) -> None:
    folder = _folder(tmp_path)
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("word/document.xml", b"\0" * (300 * 1024 * 1024))
    (folder / "templates" / "ru" / "report.docx").write_bytes(output.getvalue())
    result = _build_in(folder)
    assert result.exit_code == 1
    assert "unpacks to more than 256 MB" in result.output


# The ways a cache entry was seen damaged: bytes changed, cut, added, swapped with another
# entry, or something else in its place.
def _damage_entry(entries: list[Path], rng: random.Random) -> str:
    entry = rng.choice(entries)
    data = entry.read_bytes()
    kind = rng.choice(["flip", "truncate", "append", "swap", "zeros", "empty", "fifo",
                       "device", "folder", "garbage"])
    entry.unlink()
    if kind == "flip":
        at = rng.randrange(len(data))
        entry.write_bytes(data[:at] + bytes([data[at] ^ (1 << rng.randrange(8))])
                          + data[at + 1:])
    elif kind == "truncate":
        entry.write_bytes(data[:rng.randrange(len(data))])
    elif kind == "append":
        entry.write_bytes(data + rng.randbytes(rng.randrange(1, 64)))
    elif kind == "swap":
        other = rng.choice([e for e in entries if e != entry] or [entry])
        entry.write_bytes(other.read_bytes() if other.exists() else b"")
    elif kind == "zeros":
        entry.write_bytes(bytes(len(data)))
    elif kind == "empty":
        entry.write_bytes(b"")
    elif kind == "fifo":
        os.mkfifo(entry)
    elif kind == "device":
        entry.symlink_to("/dev/zero")
    elif kind == "folder":
        entry.mkdir()
    else:
        entry.write_bytes(rng.randbytes(len(data)))
    return kind


def _fresh_process_state(monkeypatch) -> None:
    """What a new process would hold: no template compiled, cleaned or prepared yet, none of
    babel's answers."""
    monkeypatch.setattr(sandbox.Sandbox, "_compiled", {})
    monkeypatch.setattr(render, "_PREPARED", {})
    monkeypatch.setattr(render, "_PATCHED", {})
    monkeypatch.setattr(localize, "_ANSWERS", {})
    monkeypatch.setattr(localize, "_NEW", set())


REFERENCE_FILES = ("regions.yaml", "categories.yaml", "characters.yaml", "document.yaml")


def test_a_damaged_cache_never_changes_a_report(tmp_path, monkeypatch) -> None:
    """TRIALS damages of an entry (compiled code, a template's cleaned XML, a prepared
    template, a reference file's data, babel's answers), each followed by a build in a fresh
    state and the reference files read again: always the same bytes and data, and the
    damaged entry replaced by a whole one."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("HEARINGS_CACHE_DIR", "")
    _fresh_process_state(monkeypatch)
    workspace = Workspace(tmp_path)
    build(SIGNED, tmp_path / "first", workspace=workspace)  # without a cache
    expected = {lang: (tmp_path / "first" / "2020-08" / f"2020-08-{lang}.docx").read_bytes()
                for lang in ("ru", "kk")}
    data = {name: read_reference(name) for name in REFERENCE_FILES}
    monkeypatch.setenv("HEARINGS_CACHE_DIR", str(cache))
    _fresh_process_state(monkeypatch)
    build(SIGNED, tmp_path / "cold", workspace=workspace)
    assert {name: read_reference(name) for name in REFERENCE_FILES} == data
    entries = sorted(path for path in cache.rglob("*") if path.is_file())
    assert {path.parent.name for path in entries} == {"babel", "jinja", "patched", "prepared",
                                                      "reference"}
    rng = random.Random(20)
    kinds = set()
    for trial in range(TRIALS):
        kinds.add(_damage_entry(entries, rng))
        _fresh_process_state(monkeypatch)
        out = tmp_path / f"trial-{trial}"
        build(SIGNED, out, workspace=workspace)
        for lang, document in expected.items():
            assert (out / "2020-08" / f"2020-08-{lang}.docx").read_bytes() == document, trial
        assert {name: read_reference(name) for name in REFERENCE_FILES} == data, trial
        shutil.rmtree(out)
        for entry in entries:
            assert entry.is_file() and not entry.is_symlink(), entry
            assert payload_of(entry.read_bytes(), bytes.fromhex(entry.name)) is not None
    assert len(kinds) >= min(TRIALS, 8)


def test_babel_is_asked_once_for_each_answer_and_its_answers_are_kept(tmp_path, monkeypatch
                                                                      ) -> None:
    """A month's names, figures, dates and plural forms are babel's, kept in the cache
    folder: a new process builds the same bytes without asking babel again."""
    monkeypatch.setenv("HEARINGS_CACHE_DIR", str(tmp_path / "cache"))
    _fresh_process_state(monkeypatch)
    build(SIGNED, tmp_path / "cold", workspace=Workspace(tmp_path))
    kept = [json.loads(payload_of(path.read_bytes(), bytes.fromhex(path.name)))
            for path in (tmp_path / "cache" / "babel").iterdir()]
    # per language (ru, kk) and per locale of the figures (ru_RU, kk_KZ)
    asked = [{key: entry.get(key) for key in ("date LLLL 2020-08-31", "date MMMM 2020-08-31",
                                               "plural 172", "decimal 172")} for entry in kept]
    assert sorted(asked, key=str) == sorted([
        {"date LLLL 2020-08-31": "август", "date MMMM 2020-08-31": None, "plural 172": "few",
         "decimal 172": None},
        {"date LLLL 2020-08-31": None, "date MMMM 2020-08-31": "тамыз", "plural 172": "other",
         "decimal 172": None},
        *[{"date LLLL 2020-08-31": None, "date MMMM 2020-08-31": None, "plural 172": None,
           "decimal 172": "172"}] * 2], key=str)
    _fresh_process_state(monkeypatch)

    def asked(*args, **kwargs):
        raise AssertionError(f"babel asked again: {args}")

    monkeypatch.setattr(babel.dates, "format_date", asked)
    monkeypatch.setattr(babel.numbers, "format_decimal", asked)
    monkeypatch.setattr(babel.Locale, "parse", asked)
    build(SIGNED, tmp_path / "warm", workspace=Workspace(tmp_path))
    for lang in ("ru", "kk"):
        name = f"2020-08/2020-08-{lang}.docx"
        assert (tmp_path / "warm" / name).read_bytes() == (tmp_path / "cold" / name).read_bytes()


def test_a_cache_that_cannot_be_written_is_no_cache(tmp_path, monkeypatch) -> None:
    blocked = tmp_path / "cache"
    blocked.write_text("a file where the cache folder would be")
    monkeypatch.setenv("HEARINGS_CACHE_DIR", str(blocked))
    monkeypatch.setattr(sandbox.Sandbox, "_compiled", {})
    outcome = build(SIGNED, tmp_path / "reports", workspace=Workspace(tmp_path))
    assert [status for _, status in outcome.files] == ["written", "written"]
