"""The month as data: its file read and checked (load, schema, checks, validate), the
reference data and facts in force on its last day, and the model the documents are made from."""
