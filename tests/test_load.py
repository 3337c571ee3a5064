"""Loading never hides a mistake and never raises past LoadError."""

from __future__ import annotations

import codecs

import pytest
import yaml

try:
    from yaml import _yaml
except ImportError:  # PyYAML built without libyaml
    _yaml = None

from hearings.month import load as load_module
from hearings.month.load import MAX_DEPTH, LoadError, Mark, decode, load, parse


def _error(text: str) -> LoadError:
    with pytest.raises(LoadError) as caught:
        parse(text, "f.yaml")
    return caught.value


def test_positions_of_keys_and_values_are_one_based_in_characters() -> None:
    document = parse("п: Нұр\nq:\n  - Ақ: 1\n", "f.yaml")
    assert document.data == {"п": "Нұр", "q": [{"Ақ": 1}]}
    assert document.keys[("q", 0, "Ақ")] == Mark(3, 5)
    assert document.values[("q", 0, "Ақ")] == Mark(3, 9)
    assert document.where(("q", 0, "missing")) == Mark(3, 5)


@pytest.mark.parametrize(("text", "value"), [
    ("a: 2020-08-25", "2020-08-25"),   # dates stay text for the schema to check
    ("a: 2020-08", "2020-08"),
    ("a: 1.5", 1.5),
    ("a: yes", True),
    ("a:", None),
    ("a: n/a", "n/a"),
    ("a: =", "="),                     # YAML 1.1's "value" tag, found by hypothesis
])
def test_scalars_resolve_as_yaml_says(text: str, value: object) -> None:
    assert parse(text, "f.yaml").data == {"a": value}


@pytest.mark.parametrize(("text", "form", "value"), [
    ("015", "octal", 13), ("-015", "octal", -13), ("0x10", "hexadecimal", 16),
    ("0b101", "binary", 5), ("1:30", "sexagesimal", 90), ("1_000", "underscores", 1000),
    ("+5", "plus-sign", 5), ("+0x1", "plus-sign", 1),
])
def test_a_number_not_in_decimal_digits_stays_as_written(text, form, value) -> None:
    document = parse(f"a:\n  b: {text}\n", "f.yaml")
    assert document.data == {"a": {"b": text}}  # never the number YAML would make of it
    assert document.numerals == {("a", "b"): (form, value)}


@pytest.mark.parametrize("text", ["0", "15", "-3", "'015'", "0o17"])
def test_decimal_numbers_and_quoted_text_are_what_they_say(text) -> None:
    assert parse(f"a: {text}", "f.yaml").numerals == {}


def test_duplicate_key_names_both_lines_and_the_path() -> None:
    error = _error("a:\n  b: 1\n  c: 2\n  b: 3\n")
    assert (error.code, error.mark, error.path) == ("duplicate-key", Mark(4, 3), ("a", "b"))
    assert error.params == {"key": "b", "first_line": 2}


def test_alias_bomb_is_refused_at_the_first_alias() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(20))
    error = _error(bomb)
    assert (error.code, error.mark) == ("alias-not-allowed", Mark(2, 8))


@pytest.fixture(params=["libyaml as installed", "libyaml without a limit", "pure Python"])
def yaml_layer(request, monkeypatch):
    """Each YAML layer the project may meet: PyYAML 6.0.3+ and older, with and without libyaml."""
    if request.param == "pure Python":
        monkeypatch.setattr(load_module, "_Loader", yaml.SafeLoader)
        yield
        return
    if _yaml is None:
        pytest.skip("PyYAML without libyaml")
    monkeypatch.setattr(load_module, "_Loader", yaml.CSafeLoader)
    lift = request.param == "libyaml without a limit" and hasattr(_yaml, "_set_max_nest_level")
    before = _yaml._get_max_nest_level() if lift else None
    if lift:
        # PyYAML 6.0.3+ bundles libyaml 0.2.6, which stops at 1000 levels; lift its limit to
        # behave as the libyaml of PyYAML 6.0.2 and earlier.
        _yaml._set_max_nest_level(2**31 - 1)
    yield
    if lift:
        _yaml._set_max_nest_level(before)


# Each shape of nesting, 100 000 levels deep (indentation: 3 000), and where level k opens.
NESTINGS = {
    "flow sequences": ("[" * 100_000 + "]" * 100_000, lambda k: Mark(1, k)),
    "flow mappings": ("{a: " * 100_000 + "b" + "}" * 100_000, lambda k: Mark(1, 4 * k - 3)),
    "block sequences": ("- " * 100_000 + "a", lambda k: Mark(1, 2 * k - 1)),
    "block mappings": ("".join(" " * i + "a:\n" for i in range(3_000)), lambda k: Mark(k, k)),
}


@pytest.mark.parametrize("shape", NESTINGS)
def test_deep_nesting_is_one_finding_at_the_level_that_stopped_it(shape, yaml_layer) -> None:
    text, level = NESTINGS[shape]
    error = _error(text)
    # The loader stops at level 65; libyaml 0.2.6 may stop first, at level 1001, while it
    # scans a flow collection ahead. Either way one finding, placed, long before the end.
    assert error.code == "nesting-too-deep"
    assert error.mark in {level(MAX_DEPTH + 1), level(1001)}
    assert error.params == {"limit": MAX_DEPTH}


def test_utf8_byte_order_mark_is_accepted() -> None:
    assert decode(codecs.BOM_UTF8 + "a: б".encode()) == "a: б"


@pytest.mark.parametrize("raw", [codecs.BOM_UTF16_LE + "a: б".encode("utf-16-le"),
                                 codecs.BOM_UTF32_BE + "a: б".encode("utf-32-be")])
def test_other_unicode_encodings_are_named(raw: bytes) -> None:
    with pytest.raises(LoadError) as caught:
        decode(raw)
    assert caught.value.code == "not-utf8"
    assert caught.value.params["reason"].startswith("it is UTF-")


def test_invalid_utf8_is_placed_by_line_and_character() -> None:
    with pytest.raises(LoadError) as caught:
        decode("a: 1\nб: ".encode() + b"\xff")
    assert (caught.value.code, caught.value.mark) == ("not-utf8", Mark(2, 4))


def test_a_directory_is_unreadable_not_a_traceback(tmp_path) -> None:
    with pytest.raises(LoadError) as caught:
        load(tmp_path)
    assert caught.value.code == "file-unreadable"


def test_complex_key_is_refused() -> None:
    assert _error("? {a: 1}\n: 2\n").code == "key-not-text"
