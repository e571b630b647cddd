"""The command-line face: Typer commands that parse, call one use case (app/) and render
(output/)."""
