"""Writing what thidua shows and sends (tables, CSV, JSON, Markdown, HTML, Word, Excel), and
reading the files users bring (CSV and Excel tables of criteria, scores and votes)."""
