"""Facts that change with time: their dated rows and one lookup by day (dated), the facts file
checked (file), what a month's reports will state (stated)."""
