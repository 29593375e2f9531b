"""Sincerely's detector: flags manipulative patterns in a message draft and the phrases that carry them.

Public names are imported lazily so that `python -m classifier.data` and the catalogue load without spaCy.
"""
from importlib import import_module

_EXPORTS = {
    "PATTERN_IDS": "catalogue", "CatalogueError": "catalogue", "Pattern": "catalogue", "load_catalogue": "catalogue",
    "MAX_CHARS": "detector", "Analysis": "detector", "Detector": "detector", "Flag": "detector",
    "TextTooLongError": "detector", "ModelFileError": "model",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module 'classifier' has no attribute {name!r}")
