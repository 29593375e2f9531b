"""spaCy processing: a blank English pipeline with texting components registered by name.

Components (in order): `sentencizer`, `sincerely_line_breaks` (a new line or a run of emoji ends a sentence),
`sincerely_texting_norms` (token norms for slang, elongation and emoji) and `sincerely_cues` (catalogue cue
phrases found with a PhraseMatcher). `segment` cuts a processed message into clause units, the things we score.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Token

from ..catalogue import PATTERN_IDS, load_catalogue
from .normalize import Normalized, normalize
from .patterns import EMOJI_RE

# Texting shorthand -> the words it stands for (the model sees both spellings as one).
SLANG = {
    "idk": "i don't know", "tbh": "to be honest", "ngl": "not gonna lie", "u": "you", "ur": "your", "r": "are",
    "ya": "you", "yu": "you", "rn": "right now", "bc": "because", "cuz": "because", "coz": "because", "cause": "because",
    "k": "ok", "kk": "ok", "okay": "ok", "okey": "ok", "wyd": "what are you doing", "hbu": "how about you",
    "gonna": "going to", "wanna": "want to", "gotta": "got to", "tho": "though", "thx": "thanks", "ty": "thank you",
    "pls": "please", "plz": "please", "ppl": "people", "smth": "something", "b4": "before", "2nite": "tonight",
    "tmrw": "tomorrow", "tmr": "tomorrow", "tmw": "tomorrow", "2moro": "tomorrow", "msg": "message", "txt": "text",
    "ily": "i love you", "imy": "i miss you", "nvm": "never mind", "ofc": "of course", "prob": "probably",
    "prolly": "probably", "def": "definitely", "obvs": "obviously", "whatev": "whatever", "whatevs": "whatever",
    "im": "i'm", "dont": "don't", "cant": "can't", "wont": "won't", "didnt": "didn't", "doesnt": "doesn't",
    "isnt": "isn't", "wasnt": "wasn't", "ive": "i've", "youre": "you're", "thats": "that's", "whats": "what's",
    "w/": "with", "w": "with", "abt": "about", "bout": "about", "jk": "just kidding", "fr": "for real",
    "imo": "in my opinion", "btw": "by the way", "lmk": "let me know", "omw": "on my way", "sry": "sorry",
    "soz": "sorry", "luv": "love", "gf": "girlfriend", "bf": "boyfriend", "bday": "birthday", "pic": "picture",
    "definately": "definitely", "alot": "a lot", "teh": "the", "recieve": "receive",
    "lmao": "lol", "lmfao": "lol", "haha": "lol", "hahaha": "lol", "rofl": "lol",
}
CLAUSE_PUNCT = frozenset({",", ";", ":", "-", "--", "...", "..", "(", ")", "/"})
CLAUSE_CONJ = frozenset({"but", "and", "so", "because", "cause", "cuz", "bc", "though", "tho", "although", "or",
                         "unless", "until", "anyway", "anyways", "whereas", "otherwise", "if", "then", "while"})

if not Token.has_extension("is_emoji"):
    Token.set_extension("is_emoji", getter=lambda t: bool(EMOJI_RE.search(t.text)))
if not Doc.has_extension("cues"):
    Doc.set_extension("cues", default=None)


def norm_of(token_text: str) -> str:
    """The norm of one token: lowercase, slang expanded, emoji kept as they are."""
    low = token_text.lower()
    return SLANG.get(low, low)


@Language.component("sincerely_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """Start a sentence after a line break or after emoji followed by more words."""
    for i, token in enumerate(doc[:-1]):
        nxt = doc[i + 1]
        if ("\n" in token.text or "\n" in token.whitespace_) and not nxt.is_space:
            nxt.is_sent_start = True
        elif token._.is_emoji and not nxt._.is_emoji and not nxt.is_punct and token.whitespace_:
            nxt.is_sent_start = True
    return doc


@Language.component("sincerely_texting_norms")
def texting_norms(doc: Doc) -> Doc:
    """Token norms that fold texting shorthand onto plain words."""
    for token in doc:
        norm = norm_of(token.text)
        if norm != token.norm_:
            token.norm_ = norm
    return doc


@Language.factory("sincerely_cues")
def make_cue_matcher(nlp: Language, name: str) -> CueMatcher:
    return CueMatcher(nlp)


class CueMatcher:
    """Marks catalogue cue phrases in a doc: doc._.cues is a list of (pattern id, start token, end token)."""

    def __init__(self, nlp: Language) -> None:
        self.matcher = PhraseMatcher(nlp.vocab, attr="NORM")
        for pattern in load_catalogue().values():
            docs = [texting_norms(nlp.make_doc(normalize(c).text)) for c in pattern.cues]
            self.matcher.add(pattern.id, docs)

    def __call__(self, doc: Doc) -> Doc:
        doc._.cues = [(doc.vocab.strings[m], s, e) for m, s, e in self.matcher(doc)]
        return doc


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """The shared spaCy pipeline (blank English, no model download)."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("sincerely_line_breaks")
    nlp.add_pipe("sincerely_texting_norms")
    nlp.add_pipe("sincerely_cues")
    return nlp


@dataclass(frozen=True)
class Unit:
    """A clause of a message: the smallest span we score. Offsets are into the normalized text."""

    start: int
    end: int
    sentence: int
    n_sentences: int
    index: int
    n_units: int
    text: str
    norm: str
    sentence_norm: str
    message_norm: str
    cue_counts: tuple[int, ...]
    sentence_cue_counts: tuple[int, ...]


def _norm_text(tokens) -> str:
    return " ".join(t.norm_ for t in tokens if not t.is_space)


def _clauses(sent) -> list[tuple[int, int]]:
    """Token ranges of the clauses in a sentence."""
    spans, start = [], sent.start
    for tok in sent:
        i = tok.i
        if i > start and tok.lower_ in CLAUSE_CONJ and i - start >= 2:
            spans.append((start, i))
            start = i
        if tok.text in CLAUSE_PUNCT or tok._.is_emoji:
            if i + 1 - start >= 1 and i + 1 < sent.end:
                nxt = tok.doc[i + 1]
                if not (nxt.text in CLAUSE_PUNCT or nxt._.is_emoji):
                    spans.append((start, i + 1))
                    start = i + 1
    if start < sent.end:
        spans.append((start, sent.end))
    merged: list[tuple[int, int]] = []
    for s, e in spans:  # a clause with no word joins its neighbour
        has_word = any(t.is_alpha or t.like_num for t in sent.doc[s:e])
        if merged and not has_word:
            merged[-1] = (merged[-1][0], e)
        elif merged and not any(t.is_alpha or t.like_num for t in sent.doc[merged[-1][0]:merged[-1][1]]):
            merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return merged


def _cue_counts(cues, start: int, end: int) -> tuple[int, ...]:
    return tuple(sum(1 for p, s, e in cues if p == pid and s < end and e > start) for pid in PATTERN_IDS)


def segment(doc: Doc) -> list[Unit]:
    """Cut a processed doc into clause units, each carrying its sentence for context."""
    sents = [s for s in doc.sents if any(not t.is_space for t in s)]
    cues = doc._.cues or []
    raw = []
    for si, sent in enumerate(sents):
        s_norm = _norm_text(sent)
        s_cues = _cue_counts(cues, sent.start, sent.end)
        for s, e in _clauses(sent):
            span = doc[s:e]
            toks = [t for t in span if not t.is_space]
            if not toks:
                continue
            raw.append((toks[0].idx, toks[-1].idx + len(toks[-1].text), si, _norm_text(span), s_norm,
                        _cue_counts(cues, s, e), s_cues))
    n = len(raw)
    m_norm = _norm_text(doc)
    text = doc.text  # spaCy rebuilds Doc.text on every access: read it once, not once per clause
    return [
        Unit(start, end, si, len(sents), k, n, text[start:end], norm, s_norm, m_norm, cc, scc)
        for k, (start, end, si, norm, s_norm, cc, scc) in enumerate(raw)
    ]


def process(text: str) -> tuple[Normalized, Doc, list[Unit]]:
    """Normalize, run the pipeline and segment a message."""
    normalized = normalize(text)
    doc = get_nlp()(normalized.text)
    return normalized, doc, segment(doc)


def process_many(texts, batch_size: int = 256):
    """Like `process` for many texts, streaming through nlp.pipe."""
    normalized = (normalize(t) for t in texts)
    pairs = ((n.text, n) for n in normalized)
    for doc, n in get_nlp().pipe(pairs, as_tuples=True, batch_size=batch_size):
        yield n, doc, segment(doc)
