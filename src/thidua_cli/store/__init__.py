"""The database layer: SQL lives here and nowhere else."""
