"""The register of evidence: each entry a well-formed web address seen on a day of the
month, and the table's counts those of the entries."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterator
from urllib.parse import urlsplit

from .context import NOT_ASSESSED, Context, path_names, violations_of, well_typed
from .findings import Finding
from .reference import DAY_PATTERN

_DAY = re.compile(DAY_PATTERN)
_HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}"
                   r"[a-z0-9])?)*\.?$", re.IGNORECASE)


def _register(context: Context) -> list[tuple[int, dict]]:
    evidence = context.data.get("evidence")
    if not isinstance(evidence, list):
        return []
    return [(i, e) for i, e in enumerate(evidence) if isinstance(e, dict)]


def _well_formed_url(text: str) -> bool:
    try:
        parts = urlsplit(text)
        port_ok = parts.port is None or 0 < parts.port < 65536
    except ValueError:
        return False
    host = parts.hostname or ""
    return (parts.scheme in ("http", "https") and port_ok and not any(c.isspace() for c in text)
            and bool(_HOST.match(host)) and ("." in host or host == "localhost"))


def check_evidence_entries(context: Context) -> Iterator[Finding]:
    """Each entry of the register: a well-formed web address, a day of the report's month."""
    period = context.period
    for index, entry in _register(context):
        url = entry.get("url")
        if isinstance(url, str) and url.startswith(("http://", "https://")) \
                and not _well_formed_url(url):
            yield context.finding("evidence-url-invalid", ("evidence", index, "url"),
                                  found=url)
        seen = entry.get("seen")
        if not (isinstance(seen, str) and _DAY.match(seen)) or period is None:
            continue
        try:
            day = dt.date.fromisoformat(seen)
        except ValueError:
            day = None
        if day is None or not period.first_day <= day <= period.last_day:
            yield context.finding("evidence-date-outside-month", ("evidence", index, "seen"),
                                  found=seen, params={"period": str(period)})


def check_evidence_counts(context: Context) -> Iterator[Finding]:
    """With a register, every count of the table equals the number of its entries."""
    evidence = context.data.get("evidence")
    if not isinstance(evidence, list):
        return
    known = [(e.get("region"), e.get("category")) for e in evidence if isinstance(e, dict)]
    if len(known) != len(evidence) or not all(
            isinstance(r, str) and isinstance(c, str) and context.reference.region(r)
            and context.reference.category(c) for r, c in known):
        return  # a malformed entry is the schema's to report; counting the rest would mislead
    listed = Counter(known)
    first_entry = {}
    for index, entry in _register(context):
        first_entry.setdefault((entry.get("region"), entry.get("category")), index)
    for code, row in context.regions().items():
        counts = violations_of(row)
        for category in context.reference.categories:
            stated = counts.get(category.code, 0)
            entries = listed.pop((code, category.code), 0)
            if well_typed(stated) and (0 if stated == NOT_ASSESSED else stated) != entries:
                # from the register's side: it should list what the table counts
                yield context.finding("evidence-mismatch",
                                      ("regions", code, "violations", category.code),
                                      expected=stated, found=entries)
    # entries for a region the table has no row for
    for (code, category), entries in listed.items():
        path = ("evidence", first_entry[code, category], "region")
        yield context.finding("evidence-mismatch", path, expected=0, found=entries,
                              **path_names(context.reference,
                                           ("regions", code, "violations", category),
                                           context.period))
