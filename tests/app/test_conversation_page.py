"""The "Look at a conversation" page under AppTest: upload, choose who you are, the chart, the flagged list with its
cards (mine: sincere alternatives; theirs: calm replies), pasting, bad files, the safety notice, escaping, forgetting."""
from __future__ import annotations

import json

import pytest
from support.apptest import htmls, new_app, page_text

from benchmarks import synthetic_chat as sc
from classifier.detect import safety
from ui import conversation as convo

PAGE = "views/conversation.py"
DEMO = sc.android(sc.demo()).encode()


def open_page():
    at = new_app()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def upload(at, name: str, data: bytes, mime: str = "text/plain"):
    at.file_uploader[0].upload(name, data, mime).run()
    assert not at.exception, at.exception
    return at


def charts(at) -> list:
    return at.get("vega_lite_chart")


def items(at) -> list[str]:
    """The flagged messages listed, as highlighted HTML."""
    return [h for h in htmls(at) if h.startswith('<div class="s-draft')]


def test_before_any_upload_the_page_explains_itself():
    at = open_page()
    assert [t.value for t in at.title] == ["Look at a conversation"]
    assert "Upload an export or paste a thread to begin" in page_text(at)
    assert at.file_uploader[0].allowed_type == [".txt", ".zip", ".json"]
    assert not charts(at)


def test_upload_choose_person_chart_and_flagged_list():
    at = upload(open_page(), "WhatsApp Chat with Sam.txt", DEMO)
    text = page_text(at)
    assert "WhatsApp export \\(Android\\) · 36 messages from 2 people" in text
    assert at.selectbox(key="conv_me").value == "Alex"  # the export is named after the other person
    assert len(charts(at)) == 1
    spec = json.loads(charts(at)[0].proto.spec)
    assert [c["title"] for c in spec["vconcat"]] == ["Sam", "Alex (you)"]  # one chart per person
    assert "Sam's warm messages were followed by a long silence 3 times" in text
    table = at.dataframe[0].value
    assert list(table["Person"]) == ["Sam", "Alex (you)"] and list(table["Messages"]) == [14, 22]

    # theirs (the default view): Sam's flagged messages, with what each may be doing and calm replies
    assert "6 of their messages may be working on you" in [s.value for s in at.subheader]
    listed = items(at)
    assert len(listed) == 6 and "went out with my ex last night" in "".join(listed)
    assert "Calm ways you could answer" in page_text(at)
    assert "Sincere ways to say it" not in page_text(at)

    # choose the other person: now Sam is "me", and my messages get sincere alternatives
    at.selectbox(key="conv_me").set_value("Sam").run()
    at.segmented_control(key="conv_view").set_value(convo.MINE).run()
    assert not at.exception
    assert "6 of my messages could read as a tactic" in [s.value for s in at.subheader]
    assert "Sincere ways to say it" in page_text(at) and "Calm ways you could answer" not in page_text(at)
    assert "Your warm messages were followed by a long silence" in page_text(at)
    assert any(c.value for c in at.code), "no sincere alternative shown"

    # the pattern filter narrows the list
    at.selectbox(key=f"conv_pattern_{convo.MINE}").set_value("jealousy_bait").run()
    assert len(items(at)) == 1 and "ex last night" in items(at)[0]


def test_my_messages_get_sincere_alternatives_and_a_whole_message():
    at = upload(open_page(), "WhatsApp Chat with Sam.txt", DEMO)
    at.segmented_control(key="conv_view").set_value(convo.MINE).run()
    assert "1 of my messages could read as a tactic" in [s.value for s in at.subheader]
    assert "it&#x27;s me or your mates, choose by friday</mark>" in items(at)[0]
    assert "The whole message, said sincerely:" in page_text(at)
    at.selectbox(key=f"conv_pattern_{convo.MINE}").set_value("ultimatum").run()
    assert len(items(at)) == 1


def test_telegram_zip_and_pasted_thread():
    at = upload(open_page(), "result.json", sc.telegram(sc.demo()).encode(), "application/json")
    assert "Telegram export · 36 messages" in page_text(at)
    assert at.selectbox(key="conv_me").value == "Alex"  # Telegram names a personal chat after the other person
    at.button(key="conv_forget").click().run()
    assert "Upload an export or paste a thread to begin" in page_text(at)

    at.text_area(key="conv_paste").input(sc.pasted(sc.demo())).run()
    at.button(key="conv_read_paste").click().run()
    assert not at.exception
    assert "pasted thread · 36 messages" in page_text(at)
    assert "This export has no times" in page_text(at)
    assert len(charts(at)) == 1  # charted by blocks of messages
    assert at.selectbox(key="conv_me").value is None
    assert "Choose which one is you above" in page_text(at)


def test_a_file_that_is_not_a_chat_gets_a_clear_error_and_nothing_else():
    at = upload(open_page(), "notes.txt", b"Shopping list\nmilk\neggs\n")
    assert [e.value for e in at.error] == [
        "This file couldn't be read as a chat: line 1: this doesn't look like a chat export. Sincerely reads WhatsApp "
        "exports (Android or iPhone, .txt or .zip), Telegram's result.json, or a pasted thread with one "
        "`Name: message` per line."]
    assert not charts(at)
    upload(at, "photo.json", b"\x89PNG\r\n\x1a\n\x00\x00")
    assert at.error and "couldn't be read as a chat" in at.error[0].value


def test_safety_notice_comes_first_and_user_text_is_escaped():
    rows = sc.demo()[:6] + [("Sam", sc.demo()[6][1], "<script>alert(1)</script> I want to end my life"),
                            ("Sam", sc.demo()[7][1], "<b>its whatever</b>, doesnt matter to me either way 🤷 lol")]
    at = upload(open_page(), "WhatsApp Chat with Sam.txt", sc.android(rows).encode())
    assert safety.NOTICE_TITLE in at.warning[0].value  # the notice comes before the results
    assert "It comes from line 8 \\(Sam, " in at.warning[0].value  # which message it is about
    listed = "".join(items(at))
    assert "&lt;b&gt;its whatever&lt;/b&gt;" in listed
    assert all("<script>" not in h for h in htmls(at))
    assert "<b>its" not in listed and "&lt;b&gt;its" in listed


@pytest.mark.parametrize("view", [convo.MINE, convo.THEIRS])
def test_long_lists_are_shown_a_page_at_a_time(view):
    chat = sc.big(600, seed=2, tactic_share=0.5)
    at = upload(open_page(), "WhatsApp Chat with Sam.txt", sc.android(chat).encode())
    at.segmented_control(key="conv_view").set_value(view).run()
    assert len(items(at)) == convo.PAGE_SIZE
    at.button(key="conv_more").click().run()
    assert len(items(at)) == 2 * convo.PAGE_SIZE
