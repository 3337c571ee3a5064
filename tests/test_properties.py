"""Whatever the input, validation ends with findings or success, never an exception."""

from __future__ import annotations

import copy
import os

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hearings.month.findings import KINDS
from hearings.month.load import parse

from .conftest import AUGUST, ROOT

AUGUST_TEXT = AUGUST.read_text(encoding="utf-8")
AUGUST_DATA = parse(AUGUST_TEXT, "2020-08.yaml").data
# HEARINGS_EXAMPLES=5000 pytest tests/test_properties.py searches deeper than CI does.
SETTINGS = settings(max_examples=int(os.environ.get("HEARINGS_EXAMPLES", 150)), deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])

scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 10**12), st.floats(),
                    st.text(max_size=20), st.sampled_from(["n/a", "-", "", "2020-08", "abai"]))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)),
    max_leaves=12)


def _settled(report) -> None:
    assert all(f.code in KINDS and f.line >= 1 and f.column >= 1 for f in report.findings)
    assert all(f.message for f in report.findings)


@SETTINGS
@given(st.text(max_size=400))
def test_arbitrary_text(validate_text, text: str) -> None:
    _settled(validate_text(text))


@SETTINGS
@given(st.binary(max_size=400))
def test_arbitrary_bytes(validate_text, raw: bytes) -> None:
    _settled(validate_text(raw))


@SETTINGS
@given(values)
def test_arbitrary_yaml_documents(validate_text, value) -> None:
    _settled(validate_text(yaml.safe_dump(value, allow_unicode=True)))


def _paths(data, path=()):
    yield path
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _paths(value, (*path, index))


PATHS = list(_paths(AUGUST_DATA))[1:]
REGISTER_DATA = parse((ROOT / "tests" / "evidence" / "2020-08.yaml").read_text(encoding="utf-8"),
                      "2020-08.yaml").data
REGISTER_PATHS = [p for p in _paths(REGISTER_DATA) if p[:1] == ("evidence",)][1:]


def _mutated(data, path, action, value):
    """A copy of data with one key or item deleted, replaced or added beside."""
    data = copy.deepcopy(data)
    parent = data
    for step in path[:-1]:
        parent = parent[step]
    if not isinstance(parent, (dict, list)):
        raise TypeError(f"{path[:-1]} is no longer a mapping or a list")
    if action == "delete":
        del parent[path[-1]]
    elif action == "replace":
        parent[path[-1]] = value
    elif isinstance(parent, dict):
        parent[f"{path[-1]}-extra"] = value
    else:
        parent.append(value)
    return data


def _all_mutated(data, mutations) -> str:
    """The data with each mutation applied in turn, as YAML text."""
    for path, action, value in mutations:
        try:
            data = _mutated(data, path, action, value)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed the path
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def test_a_mutation_below_a_replaced_item_is_skipped() -> None:
    # found by hypothesis: the first mutation makes the second one's parent a null
    text = _all_mutated(REGISTER_DATA, [(("evidence", 0), "replace", None),
                                        (("evidence", 0, "region"), "add", None)])
    assert yaml.safe_load(text)["evidence"][0] is None


def _mutations(paths):
    """One to three mutations, each at one of the paths."""
    return st.lists(st.tuples(st.sampled_from(paths),
                              st.sampled_from(["delete", "replace", "add"]), values),
                    min_size=1, max_size=3)


@SETTINGS
@given(_mutations(PATHS))
def test_arbitrary_mutations_of_august(validate_text, mutations) -> None:
    _settled(validate_text(_all_mutated(AUGUST_DATA, mutations)))


@SETTINGS
@given(_mutations(REGISTER_PATHS))
def test_arbitrary_mutations_of_an_evidence_register(validate_text, mutations) -> None:
    _settled(validate_text(_all_mutated(REGISTER_DATA, mutations)))


@SETTINGS
@given(st.integers(0, len(AUGUST_TEXT) - 1), st.integers(0, 8),
       st.text(max_size=6))
def test_arbitrary_edits_of_the_august_text(validate_text, start, length, insert) -> None:
    _settled(validate_text(AUGUST_TEXT[:start] + insert + AUGUST_TEXT[start + length:]))
