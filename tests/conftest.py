from __future__ import annotations

from pathlib import Path

import pytest

from hearings.validate import validate_file

ROOT = Path(__file__).resolve().parent.parent
AUGUST = ROOT / "data" / "2020-08.yaml"


@pytest.fixture
def august_text() -> str:
    return AUGUST.read_text(encoding="utf-8")


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
