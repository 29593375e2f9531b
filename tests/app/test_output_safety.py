"""Output safety: user text and corpus text never reach the page as live HTML, links or script.

HTML/JS payloads go through every page: the draft on the check page (write and received modes, cards, the
whole-message version), and catalogue and corpus text on the guide and practice pages (the catalogue the pages read is
swapped for one whose names, examples, look-alikes and explanations carry payloads). Every st.html body and every
markdown body on the page is then inspected:

- st.html bodies (and markdown that allows HTML) may only contain the app's own tags and attributes: no <img>,
  <script>, <svg>, <a>, no on* handlers, no javascript: URLs. The payloads appear there escaped, so a reader sees them
  literally.
- markdown bodies never allow HTML when they hold a payload (Streamlit then shows HTML as text), and the draft's
  payloads only ever appear escaped (no live markdown links or formatting from what the person typed).
The ui/highlight.py renderers are also tested directly.
"""
from __future__ import annotations

import dataclasses
import html
import re
from html.parser import HTMLParser

import pytest
from support.app import MODEL_ENV, usable_model
from support.apptest import check, new_app

from classifier.catalogue import Example, LookAlike, load_catalogue
from ui import checker, resources
from ui.highlight import Span, esc, highlight_html, legend_html, md_escape, phrase_html, plain_html
from ui.quiz import Question

# Payloads tagged by where they come from: the person's draft, or the project's own catalogue/corpus text.
DRAFT_PAYLOADS = ["<img src=x onerror=alert('draft')>", "<script>alert('draft')</script>", '"><svg onload=alert(\'draft\')>',
                  "[click me](javascript:alert('draft'))", '<a href="javascript:alert(\'draft\')">link</a>', "</div><b>draft</b>"]
CORPUS_PAYLOADS = [p.replace("draft", "corpus") for p in DRAFT_PAYLOADS]
# What a live payload would leave in a body if it were not escaped (HTML; and markdown, where links are live too).
HTML_RAW = ("<img", "<script", "<svg", "<a href", "</div><b>")
RAW_MARKERS = (*HTML_RAW, "](javascript:")

ALLOWED_TAGS = {"div", "p", "mark", "span", "strong", "style"}
ALLOWED_ATTRS = {"class", "style", "title", "data-pattern", "role", "aria-label"}


class TagAudit(HTMLParser):
    """Every tag and attribute in an HTML body, plus its text as a browser would show it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_data(self, data):
        self.text.append(data)


def audit_html(body: str) -> str:
    """Fail on any tag or attribute the app does not write itself; return the visible text."""
    parser = TagAudit()
    parser.feed(body)
    parser.close()
    for tag, attrs in parser.tags:
        assert tag in ALLOWED_TAGS, f"unexpected <{tag}> in rendered HTML: {body[:300]}"
        for name, value in attrs:
            assert name in ALLOWED_ATTRS, f"unexpected attribute {name}= on <{tag}>: {body[:300]}"
            if name == "style":  # the app's own colours only: nothing that could load or run anything
                squashed = (value or "").lower().replace(" ", "")
                assert not any(bad in squashed for bad in ("url(", "expression(", "javascript:", "@import")), value
    return "".join(parser.text)


# --- walking every element AppTest saw -------------------------------------------------------------------------------


def bodies(at) -> list[tuple[str, str, bool]]:
    """(kind, body, allows_html) for everything on the page rendered as markdown or HTML."""
    out: list[tuple[str, str, bool]] = []

    def walk(node) -> None:
        for child in getattr(node, "children", {}).values():
            kind = type(child).__name__
            proto = getattr(child, "proto", None)
            if kind == "Html":
                out.append(("html", child.value, True))
            elif kind == "Code" or kind == "TextArea":
                pass  # shown literally by Streamlit (a code block, a text box)
            elif proto is not None and hasattr(proto, "body") and isinstance(proto.body, str):
                out.append((kind.lower(), proto.body, bool(getattr(proto, "allow_html", False))))
            for attr in ("label", "help"):
                value = getattr(proto, attr, None) if proto is not None else None
                if attr == "label" and kind == "Expander":
                    value = child.label
                if isinstance(value, str) and value:
                    out.append((f"{kind.lower()}-{attr}", value, False))
            walk(child)

    walk(at._tree)
    return out


def assert_page_is_safe(at, draft_payloads=DRAFT_PAYLOADS, corpus_payloads=CORPUS_PAYLOADS) -> dict[str, int]:
    """Check every body on the page; return how many bodies of each kind carried a payload (escaped or inert)."""
    assert not at.exception, at.exception
    seen = {"html": 0, "markdown": 0}
    for kind, body, allows_html in bodies(at):
        if allows_html:
            visible = audit_html(body)
            for marker in HTML_RAW:
                assert marker not in body, f"raw {marker!r} in {kind}: {body[:300]}"
            found = [p for p in draft_payloads + corpus_payloads if p in visible]
            if found:
                seen["html"] += 1
                for p in found:
                    assert html.escape(p, quote=False) in body or html.escape(p) in body  # escaped in the source
        else:
            for p in draft_payloads:
                assert p not in body, f"the draft's {p!r} reached a {kind} unescaped: {body[:300]}"
            flat = " ".join(body.split())
            if any(md_escape(p) in flat for p in draft_payloads) or any(p in body for p in corpus_payloads):
                seen["markdown"] += 1  # present, but escaped (draft) or in markdown that shows HTML as text (corpus)
    return seen


# --- the app ---------------------------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def env(tmp_path, monkeypatch):
    monkeypatch.setenv(MODEL_ENV, str(usable_model()))
    monkeypatch.setenv("SINCERELY_DATA_DIR", str(tmp_path / "userdata"))


def without_labels(body: str) -> str:
    """The highlighted draft without its pattern labels (the only text the app adds)."""
    return re.sub(r'<span class="s-tag"[^>]*>[^<]*</span>', "", body)


def hostile_draft() -> str:
    """A draft the model flags, with payloads inside and around the flagged phrases."""
    d = DRAFT_PAYLOADS
    return (f"{d[0]} ok so u cancelled again. its whatever {d[1]}, doesnt matter to me either way {d[3]} lol so ur "
            f"going to the wedding with sam's lot instead of me?? {d[4]} fine. it's them or me {d[2]} choose {d[5]}")


def test_check_page_write_mode_escapes_the_draft():
    draft = hostile_draft()
    at = check(new_app(), draft)
    shown = [h.value for h in at.html if h.value.startswith('<div class="s-draft')]
    assert shown
    assert audit_html(without_labels(shown[0])) == draft  # the reader sees exactly what they typed
    assert at.expander, "no cards: the hostile draft should still be flagged"
    assert any("<" in f.phrase or "[" in f.phrase for f in at.session_state["result_cache"][1].flags)
    seen = assert_page_is_safe(at)
    assert seen["html"] >= 2 and seen["markdown"] >= 1  # the highlighted draft, a phrase card, a card label
    if any(b.key == "use-whole" for b in at.button):  # the whole-message version and its "Use this version"
        at.button(key="use-whole").click().run()
        assert_page_is_safe(at)
    uses = [b for b in at.button if b.key and b.key.startswith("use-") and b.key != "use-whole"]
    if uses:
        uses[0].click().run()
        assert_page_is_safe(at)


def test_check_page_received_mode_escapes_the_draft():
    at = new_app()
    at.segmented_control(key="mode").set_value(checker.RECEIVE).run()
    at = check(at, hostile_draft())
    assert at.expander and "could be working on you" in " ".join(h.value for h in at.html)
    seen = assert_page_is_safe(at)
    assert seen["html"] >= 2 and seen["markdown"] >= 1


def test_check_page_dismissed_and_not_flagged_drafts():
    at = check(new_app(), hostile_draft())
    at.button(key="dismiss-0").click().run()
    assert_page_is_safe(at)
    at = check(at, "see you at 7 " + " ".join(DRAFT_PAYLOADS))  # nothing flagged: still shown escaped
    seen = assert_page_is_safe(at)
    assert seen["html"] >= 1


def poisoned_catalogue():
    """The real catalogue with a payload in every text field the pages show."""
    out = {}
    for i, (pid, p) in enumerate(load_catalogue().items()):
        pay = CORPUS_PAYLOADS[i % len(CORPUS_PAYLOADS)]
        examples = tuple(Example(ex.text.replace(ex.phrase, f"{pay} {ex.phrase}", 1), f"{pay} {ex.phrase}", ex.rewrite)
                         for ex in p.examples)
        out[pid] = dataclasses.replace(
            p, name=f"{p.name} {pay}", short=f"{p.short} {pay}", description=f"{p.description} {pay}",
            why_it_backfires=f"{p.why_it_backfires} {pay}", underlying_need=f"{p.underlying_need} {pay}",
            for_reader=f"{p.for_reader} {pay}", sincere_moves=tuple(f"{m} {pay}" for m in p.sincere_moves),
            calm_replies=tuple(f"{r} {pay}" for r in p.calm_replies),
            sources=tuple({**s, "cite": f"{s.get('cite', '')} {pay}"} for s in p.sources), examples=examples,
            look_alikes=tuple(LookAlike(f"{la.text} {pay}", f"{la.why} {pay}") for la in p.look_alikes),
        )
    return out


@pytest.fixture
def poisoned(monkeypatch):
    cat = poisoned_catalogue()
    monkeypatch.setattr(resources, "catalogue", lambda: cat)
    return cat


def test_check_page_with_hostile_catalogue_text(poisoned):
    at = check(new_app(), hostile_draft())
    seen = assert_page_is_safe(at)
    assert seen["html"] >= 3  # draft, legend and phrase card carry names/shorts from the catalogue too
    legend = next(h.value for h in at.html if "s-legend" in h.value)
    assert any(p in audit_html(legend) for p in CORPUS_PAYLOADS)
    at.segmented_control(key="mode").set_value(checker.RECEIVE).run()
    at = check(at, hostile_draft())
    assert_page_is_safe(at)


def test_guide_page_escapes_catalogue_text(poisoned):
    at = new_app()
    at.switch_page("views/guide.py").run()
    seen = assert_page_is_safe(at)
    assert seen["html"] >= 2 * len(poisoned)  # every pattern's examples and look-alikes
    assert seen["markdown"] >= len(poisoned)


def test_practice_page_escapes_corpus_text(poisoned):
    at = new_app()
    at.switch_page("views/practice.py").run()
    pay = CORPUS_PAYLOADS
    flagged = Question("x-1", f"{pay[0]} hey. reply by 9 or we're done {pay[1]}", ("ultimatum",),
                       (("ultimatum", (f"reply by 9 or we're done {pay[1]}",)),))
    sincere = Question("x-2", f"{pay[2]} I'd like to talk tonight {pay[4]}", (), (), f"It asks openly {pay[3]} {pay[5]}",
                       "ultimatum")
    at.session_state["quiz"] = [flagged, sincere]
    at.session_state["quiz_i"] = 0
    at.session_state["quiz_graded"] = {}
    at.run()
    assert assert_page_is_safe(at)["html"] >= 1  # the question, shown plain
    for q in (flagged, sincere):
        at.pills[0].set_value(sorted(q.answer)).run()
        at.button(key="quiz-check").click().run()
        seen = assert_page_is_safe(at)  # the answer: highlighted phrase, pattern description, why it's sincere
        assert seen["html"] >= 1 and seen["markdown"] >= 1
        at.button(key="quiz-next").click().run()
    assert_page_is_safe(at)


def test_about_page_with_hostile_catalogue_text(poisoned):
    at = new_app()
    at.switch_page("views/about.py").run()
    assert_page_is_safe(at)


# --- the renderers, directly -----------------------------------------------------------------------------------------

CAT = load_catalogue()
ALL = DRAFT_PAYLOADS + CORPUS_PAYLOADS


@pytest.mark.parametrize("payload", ALL)
def test_highlight_html_escapes_text_and_spans(payload):
    text = f"before {payload} middle {payload} after"
    first = text.index(payload)
    spans = [Span(first, first + len(payload), "ultimatum"), Span(first + 3, len(text) - 2, "gaslighting"),
             Span(0, 5, "not_a_pattern"), Span(first + 1, first + 4, "guilt_tripping")]  # cuts inside the payload
    out = highlight_html(text, spans, CAT)
    audit_html(out)
    assert audit_html(without_labels(out)) == text  # shown literally, character for character
    assert out.count('class="s-tag"') == 4  # one label per span, even where a span starts inside the payload
    for marker in HTML_RAW:
        assert marker not in out


@pytest.mark.parametrize("payload", ALL)
def test_renderers_escape_hostile_names_and_pattern_ids(payload):
    hostile = {pid: dataclasses.replace(p, name=payload, short=payload) for pid, p in CAT.items()}
    out = highlight_html("one two three", [Span(0, 3, "ultimatum"), Span(4, 7, payload)], hostile)
    assert audit_html(out).count(payload) >= 2  # a label per span, shown literally
    legend = legend_html(["ultimatum", payload], hostile)
    assert payload in audit_html(legend)
    phrase = phrase_html(payload, payload)
    assert payload in audit_html(phrase)
    plain = plain_html(payload)
    assert audit_html(plain) == payload
    assert html.unescape(esc(payload)) == payload and "<" not in esc(payload) and '"' not in esc(payload)
    for rendered in (out, legend, phrase, plain):
        for marker in HTML_RAW:
            assert marker not in rendered


@pytest.mark.parametrize("payload", ALL + ["**bold** _it_ `code` :red[red] :material/favorite: ![img](http://x/y.png)",
                                           "# heading\n- list\n> quote", "$x^2$ ~~strike~~ <!-- comment -->"])
def test_md_escape_makes_markdown_inert(payload):
    out = md_escape(payload)
    for raw in ("<", ">", "](", "**", "`", "![", "~~", "$x"):
        assert raw not in re.sub(r"\\.", "", out), (raw, out)  # every special character is backslash-escaped
    assert ":red[" not in out and ":material/" not in out  # Streamlit directives and icon shortcodes are broken up
    assert "\n" not in out and not out.lstrip().startswith("#")
    unescaped = re.sub(r"\\(.)", r"\1", out).replace("\u200b", "")
    assert unescaped == " ".join(payload.split())  # and the reader still sees the same characters
