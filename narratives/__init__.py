"""narratives: find, track and report the narratives influence operations push against candidates."""

__version__ = "0.1.0"
