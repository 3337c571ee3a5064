"""Every exception the package raises on purpose, in one place."""

from __future__ import annotations


class HearingsError(Exception):
    """Raised for a problem the command line reports as a message, never as a traceback."""


class ReferenceDataError(HearingsError):
    """Raised when the reference data shipped with the package cannot be read or is malformed."""


class RenderError(HearingsError):
    """Raised when a template cannot be rendered: a missing file, an undefined name, bad text."""


class ReportExistsError(HearingsError):
    """Raised when a report exists with other content and --force was not given."""


class ConversionError(HearingsError):
    """Raised when LibreOffice is missing or fails to convert a report to PDF."""


class ParityError(HearingsError):
    """Raised when the Russian and Kazakh documents disagree on a figure."""


class MonthExistsError(HearingsError):
    """Raised when `new` would overwrite a monthly file that already exists."""


class MonthRefusedError(HearingsError):
    """Raised when `new` is asked for a month no report can be made for (its findings said)."""


class FolderBusyError(HearingsError):
    """Raised when another command holds the lock of a folder to be written, past the wait."""


class WriteError(HearingsError):
    """Raised when reports or data cannot be written (permissions, a full disk, a link where
    a folder belongs); what was there before is left as it was."""


class FactsFileError(HearingsError):
    """Raised when the folder's own facts file has errors: no command builds on it."""
