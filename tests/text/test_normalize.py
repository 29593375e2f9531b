"""Texting normalization keeps offsets into the text the person typed."""
from __future__ import annotations

import pytest

from classifier.text.normalize import INVISIBLE, normalize


@pytest.mark.parametrize("typed,expected", [
    ("heyyyyy u up", "hey u up"),
    ("sooooo gooooood", "so good"),  # one or two letters, whichever spells the commoner word
    ("whateverrrrr, ttyllll", "whatever, ttyl"),
    ("g.u.i.l.t trip", "guilt trip"),
    ("y-o-u n-e-v-e-r listen", "you never listen"),
    ("sat by the!! phone all weekend,, waiting", "sat by the phone all weekend waiting"),
    ("wow!!!!!!!! 😂😂😂😂😂😂 ok", "wow!!! 😂😂😂 ok"),
    ("i d\u200bo\u200bn't care", "i don't care"),
    ("\u0456 d\u043en't c\u0430re", "i don't care"),  # Cyrillic homoglyphs in Latin text
    ("\u03bfk wh\u03b1tever", "ok whatever"),  # Greek homoglyphs
    ("l0l wh4tever", "lol whatever"),
    ("i n e e d s p a c e", "ineedspace"),
    ("ｗｈａｔｅｖｅｒ", "whatever"),
    ("don\u2019t \u201cworry\u201d", "don't \"worry\""),
])
def test_normalizes_tricks(typed, expected):
    assert normalize(typed).text == expected


@pytest.mark.parametrize("typed", ["see u at 7pm on the 21st", "covid19 test b4 the trip", "2 pints n a bag of crisps"])
def test_numbers_are_not_leetspeak(typed):
    assert normalize(typed).text == typed


def test_mixed_script_word_is_folded_in_cyrillic_text():
    assert normalize("Привет, я в поrядке, dоnt worry").text.endswith("dont worry")


def test_real_russian_is_left_alone():
    text = "Почему ты не ответил?"
    assert normalize(text).text == text


@pytest.mark.parametrize("typed", ["heyyyy\u200b\u200b there 👋🏽 l0l", "a\u0301b\u0302 c\u200dd", "ｉ ｄｏｎ’ｔ ｃａｒｅ", "\u202eevil\u202c ok"])
def test_every_normalized_character_maps_back(typed):
    norm = normalize(typed)
    assert len(norm.source) == len(norm.text)
    assert list(norm.source) == sorted(norm.source)
    assert all(0 <= src < len(typed) for src in norm.source)
    start, end = norm.span_to_original(0, len(norm.text))
    visible = [i for i, c in enumerate(typed) if c not in INVISIBLE and not c.isspace()]
    assert start == visible[0] and end == visible[-1] + 1


@pytest.mark.parametrize("typed,word", [("at alllllll", "alllllll"), ("zzzzz", "zzzzz"), ("so gooooood", "gooooood"),
                                        ("y-o-u", "y-o-u"), ("lol 😂😂😂😂😂😂", "😂😂😂😂😂😂")])
def test_a_shortened_run_maps_back_to_all_of_it(typed, word):
    norm = normalize(typed)
    start = typed.index(word)
    assert norm.span_to_original(len(norm.text) - 1, len(norm.text))[1] == start + len(word)


def test_a_long_symbol_run_is_capped_and_broken():
    norm = normalize("ok " + "!?" * 500 + " " + "😂" * 5000)
    assert max(len(w) for w in norm.text.split()) <= 12
    assert norm.span_to_original(0, len(norm.text)) == (0, 3 + 1000 + 1 + 5000)


def test_grapheme_span_keeps_accents_with_their_letter(detector):
    text = "honestly hadn't even noticed you stopped texting\u0301\u0301 lol"
    for flag in detector.analyze(text).flags:
        assert not text[flag.end : flag.end + 1] == "\u0301", "an accent was cut off the end of the highlight"
