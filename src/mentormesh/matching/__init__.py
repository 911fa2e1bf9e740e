"""The matching engine: pure Python, numpy and scipy; no Django (import-linter enforces it)."""
