from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

from hearings.month.validate import validate_file

pytest_plugins = ["tests.no_skips"]

# The property tests draw the same examples on every run (hypothesis's derandomize), so that
# a run's result and its time depend on nothing but the code; a deep run, with any of these
# variables set (docs/maintaining.md), draws new ones each time and explores.
DEEP_RUNS = ("HEARINGS_FUZZ", "HEARINGS_EXAMPLES", "HEARINGS_BUILDS", "HEARINGS_KILLS",
             "HEARINGS_CONCURRENT_ROUNDS", "HEARINGS_CACHE_TRIALS", "HEARINGS_IMPORT_EVERY")
settings.register_profile("suite", derandomize=not any(os.environ.get(v) for v in DEEP_RUNS))
settings.load_profile("suite")

ROOT = Path(__file__).resolve().parent.parent
AUGUST = ROOT / "data" / "2020-08.yaml"


SIGNED = ROOT / "tests" / "signed" / "2020-08.yaml"

# The modules whose module-wide fixture costs most (a wheel built and installed, months
# converted to PDF): each runs on one worker, so that its fixture is made once; the wheel is
# built in the project's build/ folder, which two builds at once would share.
ONE_WORKER = ("test_installed", "test_layout", "test_corpus", "test_archival")


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """pytest-xdist's "load" distribution, but the tests of each module of ONE_WORKER are sent
    to a worker together (its "loadgroup" marks no longer group under pytest 9)."""
    if config.getvalue("dist") != "load":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class Scheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            return module if Path(module).stem in ONE_WORKER else nodeid

    return Scheduling(config, log)


@pytest.fixture(scope="session", autouse=True)
def _cache_of_its_own(tmp_path_factory):
    """The tests' compiled templates in a folder of their own, not the user's cache (the
    commands the tests start inherit it)."""
    os.environ["HEARINGS_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture(autouse=True)
def _messages_in_english_after_each_test():
    """Each test starts with the messages in English, whatever the one before chose (`--lang`
    and a language server's client set the process's language)."""
    from hearings.i18n import language, set_language

    if language() != "en":
        set_language("en")
    yield


def writing_expected() -> bool:
    """HEARINGS_WRITE_EXPECTED=1 (or HEARINGS_WRITE_GOLDEN=1, its older name): the tests that
    compare an output with a file kept beside them (a fixture's expected.txt, a golden text)
    write the file from the current output instead; then read the diff before committing."""
    return any(os.environ.get(name) for name in ("HEARINGS_WRITE_EXPECTED",
                                                 "HEARINGS_WRITE_GOLDEN"))


def assert_as_kept(actual: str, path: Path) -> None:
    """The output is the file's text (written from it under HEARINGS_WRITE_EXPECTED=1)."""
    if writing_expected():
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8")


def with_people(text: str) -> str:
    """A monthly file's text with the test signatory and executor added at its end (so no
    line moves): a file that validate --strict passes when nothing else is wrong."""
    signed = SIGNED.read_text(encoding="utf-8")
    return text.rstrip("\n") + "\n\n" + signed[signed.index("signatory:"):]


@pytest.fixture
def august_text() -> str:
    """August 2020 as data/ has it, with the test people, ready to be signed."""
    return with_people(AUGUST.read_text(encoding="utf-8"))


@pytest.fixture
def validate_text(tmp_path):
    """Validate text written to a file named after its period."""

    def run(text: str | bytes, name: str = "2020-08.yaml"):
        path = tmp_path / name
        if isinstance(text, str):
            text = text.encode("utf-8")
        path.write_bytes(text)
        return validate_file(path, name)

    return run


@pytest.fixture
def libreoffice_runs(monkeypatch) -> list:
    """The command line of every process hearings.files.pdf starts (LibreOffice), in order."""
    from hearings.files import pdf

    runs = []
    real_popen = pdf.subprocess.Popen
    pdf.without_network()  # the one look, per process, at whether `unshare --net` works

    def counting(*args, **kwargs):
        runs.append(args[0])
        return real_popen(*args, **kwargs)

    monkeypatch.setattr(pdf.subprocess, "Popen", counting)
    return runs
