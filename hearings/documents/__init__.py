"""The documents: a month (or a year) put into each language's words, rendered from the
templates in a sandbox, its tables and chart, and the parity of the two languages."""
