"""pagecomposer: compose Chinese newspaper pages from a YAML spec into print-ready PDF."""

__version__ = "0.1.0"
