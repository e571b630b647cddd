"""The rules, pure: plain records in, plain records out; no SQL, no Rich, no Typer."""
