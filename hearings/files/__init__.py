"""Files and conversions: what a build writes and keeps, written whole and locked, the
PDFs from LibreOffice, the open data, and the user's folder against the package's."""
