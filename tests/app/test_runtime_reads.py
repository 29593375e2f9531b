"""The runtime never trains and never reads the corpus: checking and rewording a draft opens no file under data/."""
from __future__ import annotations

import sys

from classifier.paths import DATA_DIR

_opened: list[str] = []
_recording = [False]


def _hook(event: str, args: tuple) -> None:
    if _recording[0] and event == "open" and isinstance(args[0], str | bytes):
        _opened.append(str(args[0]))


sys.addaudithook(_hook)  # audit hooks stay for the process: it only records while _recording is set


def test_loading_checking_and_rewording_read_nothing_from_data(model_path, monkeypatch):
    from classifier import Detector, Rewriter
    from classifier.training import train
    from ui import checker

    monkeypatch.setattr(train, "train", lambda *a, **k: (_ for _ in ()).throw(AssertionError("trained at run time")))
    _opened.clear()
    _recording[0] = True
    try:
        detector = Detector.load(model_path)
        rewriter = Rewriter(detector)
        result = checker.run_check(detector, rewriter, "its whatever, doesnt matter to me either way lol. "
                                                         "it's them or me, choose")
        assert result.cards and result.engine == "rewriter"
        detector.artefact("practice")
    finally:
        _recording[0] = False
    data = str(DATA_DIR.resolve())
    assert _opened, "the audit hook saw no file opened at all (the model files at least)"
    assert [p for p in _opened if p.startswith(data)] == []
