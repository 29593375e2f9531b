"""The pattern catalogue (patterns.yaml) and the lexicon (lexicon.yaml): what the tool knows, as data."""
from ..errors import CatalogueError
from .lexicon import Lexicon, load_lexicon
from .loader import (
                     CATALOGUE_PATH,
                     MIN_EXAMPLES,
                     MIN_LOOK_ALIKES,
                     PATTERN_IDS,
                     TONES,
                     Example,
                     LookAlike,
                     Pattern,
                     Tone,
                     load_catalogue,
                     load_catalogue_file,
                     parse_catalogue,
)

__all__ = ["CATALOGUE_PATH", "MIN_EXAMPLES", "MIN_LOOK_ALIKES", "PATTERN_IDS", "TONES", "CatalogueError", "Example",
           "Lexicon", "LookAlike", "Pattern", "Tone", "load_catalogue", "load_catalogue_file", "load_lexicon",
           "parse_catalogue"]
