"""The commands: the command line, which parses options and calls the stages, and the
work of the commands that belong to no stage (new, compare, translated), with their output."""
