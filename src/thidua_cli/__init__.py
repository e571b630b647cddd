"""thidua: the yearly cycle of Vietnamese emulation clusters (Cụm thi đua) from one SQLite file."""

__version__ = "0.1.0"
