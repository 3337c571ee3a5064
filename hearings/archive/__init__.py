"""The archive: past Word reports read, paired by period, and written as monthly files."""
