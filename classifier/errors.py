"""Every error Sincerely raises on purpose, each with the message a person sees.

The app and the CLI tell these apart by type, never by the words in their messages.
"""
from __future__ import annotations

MAX_CHARS = 20_000  # documented limit: longer text is refused with TextTooLongError
BUILD_HINT = "build it with `make setup` or `python -m classifier train`"


class SincerelyError(Exception):
    """Base class: something the user or operator can act on."""


class TextTooLongError(SincerelyError, ValueError):
    """The draft is over the size limit."""

    def __init__(self, length: int, limit: int = MAX_CHARS) -> None:
        self.length, self.limit = length, limit
        super().__init__(f"This text is {length:,} characters long; the checker reads up to {limit:,} characters "
                         "at a time. Please check it in smaller parts.")


class CatalogueError(SincerelyError, ValueError):
    """The catalogue file is malformed; the message names the entry and the field."""

    def __init__(self, entry: str, field_name: str, problem: str) -> None:
        self.entry, self.field, self.problem = entry, field_name, problem
        super().__init__(f"pattern catalogue: entry '{entry}', field '{field_name}': {problem}")


class CorpusError(SincerelyError, ValueError):
    """The corpus breaks a rule; the message names the row."""


class ModelFileError(SincerelyError, RuntimeError):
    """The model file cannot be used: missing, corrupted, tampered with, or built for other data or code."""

    transient = False  # True when a retry may succeed (the file is being rewritten right now)


class ModelMissingError(ModelFileError):
    """No model file at the path."""

    def __init__(self, path) -> None:
        self.path = path
        super().__init__(f"no model file at {path}; {BUILD_HINT}")


class ModelChecksumError(ModelFileError):
    """The file's bytes differ from its recorded checksum (changed after training, or mid-rewrite)."""

    transient = True


class ModelUnreadableError(ModelFileError):
    """Not a readable model file (truncated, random bytes, half-written)."""

    transient = True


class UntrustedTypeError(ModelFileError):
    """The file holds types outside the trusted list; it is refused before loading."""

    def __init__(self, name: str, types: list[str]) -> None:
        self.types = types
        super().__init__(f"{name} contains types that are not on the trusted list and was refused: {', '.join(types)}")


class StaleModelError(ModelFileError):
    """Built by another version of Sincerely (file format) or from other data."""


class ExportError(SincerelyError, ValueError):
    """A chat export could not be read; the message names the line (or the message) where reading stopped."""

    def __init__(self, problem: str, where: str | None = None) -> None:
        self.problem, self.where = problem, where
        super().__init__(f"{where}: {problem}" if where else problem)
