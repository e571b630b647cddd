"""A unit's name as a year prints it.

A unit renamed while it belonged to a locked cluster-year keeps, for that year, the name it was
locked with (migration 14 writes it to `unit_year_name` on the rename): a locked year's papers
read the same after the rename. Every other year, and every unlocked one, prints today's name.
"""

from __future__ import annotations


def unit_name(unit: str, year: str) -> str:
    """SQL for the name of the unit row `unit` as printed in `year` (both SQL expressions)."""
    return (
        f"coalesce((SELECT k.name FROM unit_year_name k WHERE k.unit_id = {unit}.id"
        f" AND k.year = {year}), {unit}.name)"
    )


def unit_short_name(unit: str, year: str) -> str:
    """SQL for the short name of the unit row `unit` as printed in `year`."""
    kept = f"FROM unit_year_name k WHERE k.unit_id = {unit}.id AND k.year = {year}"
    return f"IIF(EXISTS (SELECT 1 {kept}), (SELECT k.short_name {kept}), {unit}.short_name)"
