"""A pytest plugin: under CI=true a skipped test fails the run, since CI installs what every
test needs (LibreOffice, the language server); a skip there would hide a test that never ran."""

from __future__ import annotations

import os

import pytest


def pytest_sessionfinish(session, exitstatus) -> None:
    if not os.environ.get("CI"):
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped:
        reporter.write_line(f"CI: {len(skipped)} test(s) skipped; under CI every test must run",
                            red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
