"""Sincerely: flags manipulative patterns in a message draft, the phrases that carry them, and sincere rewordings.

The public API. Names are imported lazily so that the catalogue and the corpus tools load without spaCy::

    from classifier import Detector, Rewriter
    detector = Detector.load()
    analysis = detector.analyze(text)            # flags with offsets into text
    result = Rewriter(detector).suggest(text, analysis)  # alternatives per flag and the whole message
    report = analyze_chat(detector, read_chat(export_bytes, "WhatsApp Chat with Sam.txt"))  # a whole chat
"""
from importlib import import_module

_EXPORTS = {
    "PATTERN_IDS": "catalogue", "Pattern": "catalogue", "load_catalogue": "catalogue",
    "Analysis": "detect.results", "Detector": "detect.detector", "Flag": "detect.results",
    "Alternative": "rewrite.types", "RewriteResult": "rewrite.types", "Suggestion": "rewrite.types",
    "Rewriter": "rewrite.rewriter",
    "Chat": "conversation", "ConversationReport": "conversation", "analyze_chat": "conversation",
    "read_chat": "conversation", "ExportError": "errors",
    "MAX_CHARS": "errors", "SincerelyError": "errors", "CatalogueError": "errors", "CorpusError": "errors",
    "ModelFileError": "errors", "TextTooLongError": "errors",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module 'classifier' has no attribute {name!r}")
