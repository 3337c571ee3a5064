"""Every exception the package raises on purpose, in one place."""

from __future__ import annotations


class HearingsError(Exception):
    """Raised for a problem the command line reports as a message, never as a traceback."""


class ReferenceDataError(HearingsError):
    """Raised when the reference data shipped with the package cannot be read or is malformed."""


class SchemaFileError(HearingsError):
    """Raised when the JSON Schema file for monthly files is missing or is not valid JSON."""
