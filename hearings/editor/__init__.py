"""The editor: the language server, the same checks on the text being typed."""
