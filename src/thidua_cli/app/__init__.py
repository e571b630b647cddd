"""The use cases: what a command does, in words. They take an open connection and plain
values and return records; no Typer, no Rich."""
