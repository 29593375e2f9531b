"""Chat export readers: each format read from files the tests write, skipped lines counted, bad input named by line."""
from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmarks import synthetic_chat as sc
from classifier.conversation import read_chat
from classifier.conversation import readers as rd
from classifier.conversation.lexicon import chat_lexicon
from classifier.errors import ExportError

LINES = [
    ("Sam", datetime(2026, 3, 14, 9, 5), "morning! are we still on for lunch?"),
    ("Alex", datetime(2026, 3, 14, 9, 41), "yes!\nsee you at 1 at the usual place"),
    ("Sam", datetime(2026, 3, 14, 21, 30), "note: bring the book x"),
    ("Alex", datetime(2026, 3, 15, 8, 2), "it's whatever 😂 honestly"),
]


def as_read(chat) -> list[tuple]:
    return [(m.sender, m.sent, m.text) for m in chat.messages]


# --- WhatsApp ----------------------------------------------------------------------------------------------------


def test_android_day_first_24_hour_with_multiline_and_system_lines():
    chat = read_chat(sc.android(LINES).encode(), "WhatsApp Chat with Sam.txt")
    assert chat.format == rd.WHATSAPP_ANDROID
    assert as_read(chat) == LINES
    assert chat.skipped == {"system": 1}  # the end-to-end encryption notice
    assert chat.people == ["Sam", "Alex"] and chat.title == "Sam" and chat.timed
    assert chat.messages[1].where == "line 3" and chat.messages[2].where == "line 5"  # line 4 continues message 2


def test_android_month_first_12_hour_with_narrow_no_break_space():
    text = sc.android(LINES, month_first=True, twelve_hour=True)
    assert "3/14/26, 9:05\u202fAM - Sam:" in text
    assert as_read(read_chat(text)) == LINES


def test_ios_export_with_brackets_seconds_and_marked_system_line():
    text = sc.ios(LINES)
    assert text.startswith("[14/03/2026, 09:05:00] Sam: \u200eMessages and calls")
    chat = read_chat(text.encode())
    assert chat.format == rd.WHATSAPP_IOS
    assert as_read(chat) == LINES
    assert chat.skipped == {"system": 1}


def test_media_deleted_and_system_lines_are_skipped_and_counted():
    text = "\n".join([
        "14/03/2026, 09:00 - Messages and calls are end-to-end encrypted. Tap to learn more.",
        "14/03/2026, 09:01 - Sam: <Media omitted>",
        "14/03/2026, 09:02 - Sam: This message was deleted",
        "14/03/2026, 09:03 - Alex: You deleted this message",
        "14/03/2026, 09:04 - Sam created group \"Lunch\"",
        "14/03/2026, 09:05 - Sam: IMG-20260314-WA0001.jpg (file attached)",
        "look at this view",
        "14/03/2026, 09:06 - Alex: wow <This message was edited>",
        "14/03/2026, 09:07 - Sam: location: https://maps.google.com/?q=51.5,-0.1",
        "14/03/2026, 09:08 - Alex: Missed voice call",
    ])
    chat = read_chat(text)
    assert as_read(chat) == [("Sam", datetime(2026, 3, 14, 9, 5), "look at this view"),  # the caption was typed
                             ("Alex", datetime(2026, 3, 14, 9, 6), "wow")]
    assert chat.skipped == {"system": 3, "media": 2, "deleted": 2}
    assert chat.skipped_summary() == "3 system lines, 2 attachments, 2 deleted messages"


def test_ios_media_and_attachments_are_skipped():
    text = "\n".join([
        "[14/03/2026, 09:01:00] Sam: \u200eimage omitted",
        "[14/03/2026, 09:02:00] Sam: \u200e<attached: 00000012-PHOTO-2026-03-14-09-02-00.jpg>",
        "[14/03/2026, 09:03:00] Alex: \u200esticker omitted",
        "[14/03/2026, 09:04:00] Alex: cute!",
    ])
    chat = read_chat(text)
    assert as_read(chat) == [("Alex", datetime(2026, 3, 14, 9, 4), "cute!")]
    assert chat.skipped == {"media": 3}


def test_ambiguous_dates_are_read_in_the_order_that_runs_forwards():
    # every day and month is <= 12: only the chronology tells 03/04 (3 April) from 03/04 (March 4)
    month_first = "\n".join(["03/04/26, 10:00 - Sam: hi", "03/05/26, 10:00 - Alex: hey", "04/01/26, 10:00 - Sam: yo"])
    assert [m.sent.date().isoformat() for m in read_chat(month_first).messages] == ["2026-03-04", "2026-03-05",
                                                                                      "2026-04-01"]
    day_first = "\n".join(["03/04/26, 10:00 - Sam: hi", "05/04/26, 10:00 - Alex: hey", "01/05/26, 10:00 - Sam: yo"])
    assert [m.sent.date().isoformat() for m in read_chat(day_first).messages] == ["2026-04-03", "2026-04-05",
                                                                                    "2026-05-01"]


def test_year_first_dates_and_dotted_times():
    chat = read_chat("2026-03-14, 21.30 - Sam: hi\n2026-03-15, 08.02 - Alex: hello")
    assert [m.sent for m in chat.messages] == [datetime(2026, 3, 14, 21, 30), datetime(2026, 3, 15, 8, 2)]


def test_a_shared_zip_is_read_in_memory():
    for inner, text in (("WhatsApp Chat with Sam.txt", sc.android(LINES)), ("_chat.txt", sc.ios(LINES)),
                        ("result.json", sc.telegram(LINES))):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr(inner, text)
            archive.writestr("00000012-PHOTO.jpg", b"\xff\xd8\xff")
        chat = read_chat(buffer.getvalue(), "WhatsApp Chat - Sam.zip")
        assert as_read(chat) == LINES, inner
        assert chat.title == "Sam"  # from the file name inside or outside the zip, or Telegram's chat name


# --- Telegram ----------------------------------------------------------------------------------------------------


def telegram_export(messages: list[dict], **chat) -> bytes:
    return json.dumps({"name": "Sam", "type": "personal_chat", "id": 1, "messages": messages, **chat}).encode()


def test_telegram_result_json():
    chat = read_chat(sc.telegram(LINES).encode(), "result.json")
    assert chat.format == rd.TELEGRAM and chat.title == "Sam"
    assert as_read(chat) == LINES
    assert chat.messages[0].where == "message 1"


def test_telegram_formatted_text_service_forwarded_and_media():
    chat = read_chat(telegram_export([
        {"id": 1, "type": "service", "date": "2026-03-14T09:00:00", "actor": "Sam", "action": "phone_call"},
        {"id": 2, "type": "message", "date": "2026-03-14T09:01:00", "from": "Sam",
         "text": ["see ", {"type": "bold", "text": "you"}, " at ", {"type": "link", "text": "the pub"}]},
        {"id": 3, "type": "message", "date": "2026-03-14T09:02:00", "from": "Alex", "text": "look",
         "forwarded_from": "News channel"},
        {"id": 4, "type": "message", "date": "2026-03-14T09:03:00", "from": "Alex", "text": "", "photo": "photos/1.jpg"},
        {"id": 5, "type": "message", "date": "2026-03-14T09:04:00", "from": "Alex", "text": "nice photo",
         "photo": "photos/2.jpg"},
        {"id": 6, "type": "message", "date": "2026-03-14T09:05:00", "from": None, "text": "hello"},
    ]))
    assert as_read(chat) == [("Sam", datetime(2026, 3, 14, 9, 1), "see you at the pub"),
                             ("Alex", datetime(2026, 3, 14, 9, 4), "nice photo"),
                             ("Deleted account", datetime(2026, 3, 14, 9, 5), "hello")]
    assert chat.skipped == {"system": 1, "forwarded": 1, "media": 1}


def test_telegram_whole_account_export():
    one = {"chats": {"list": [{"name": "Sam", "type": "personal_chat", "messages": [
        {"id": 1, "type": "message", "date": "2026-03-14T09:01:00", "from": "Sam", "text": "hi"}]}]}}
    assert as_read(read_chat(json.dumps(one))) == [("Sam", datetime(2026, 3, 14, 9, 1), "hi")]
    two = {"chats": {"list": [one["chats"]["list"][0], one["chats"]["list"][0]]}}
    with pytest.raises(ExportError, match="whole-account export with 2 chats.*Export chat history"):
        read_chat(json.dumps(two))


# --- a pasted thread ------------------------------------------------------------------------------------------


def test_pasted_thread_with_continuations_and_colons_inside_messages():
    chat = read_chat("Sam: are you coming tonight?\nAlex: can't, sorry\nwork ran late\nSam: fine. Note: I waited\n"
                     "Alex: [sorry] I mean it\n")
    assert chat.format == rd.PASTED and not chat.timed
    assert [(m.sender, m.text) for m in chat.messages] == [
        ("Sam", "are you coming tonight?"), ("Alex", "can't, sorry\nwork ran late"),
        ("Sam", "fine. Note: I waited"), ("Alex", "[sorry] I mean it")]
    assert chat.messages[2].where == "line 4"


def test_pasted_thread_of_two_lines_and_bracketed_times():
    assert [(m.sender, m.text) for m in read_chat("Sam: hi\nAlex: hey").messages] == [("Sam", "hi"), ("Alex", "hey")]
    chat = read_chat("[10:32] Sam: hi\n[10:33] Alex: hey\n[10:35] Sam: ok")
    assert [m.sender for m in chat.messages] == ["Sam", "Alex", "Sam"]


@given(st.lists(st.tuples(st.sampled_from(["Sam", "Alex Morgan", "Dr. Jo", "😊 Priya", "+44 7700 900123"]),
                          st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")),
                                  min_size=1, max_size=60)),
                min_size=1, max_size=12))
def test_every_format_reads_back_what_was_written(pairs):
    """Round trip: whatever people typed (colons, brackets, emoji, odd unicode) comes back as written."""
    lex = chat_lexicon()
    lines = []
    for k, (sender, text) in enumerate(pairs):
        text = text.strip().replace("\u200e", "")
        if not text or lex.skip_reason(text) or lex.edited_marker.search(text) or text != text.strip():
            continue
        if rd.ANDROID_HEADER.match(text) or rd.IOS_HEADER.match(text):
            continue  # a typed line that looks exactly like a dated header is ambiguous in the format itself
        lines.append((sender, datetime(2026, 1, 5 + k, 10, 30), text))
    if not lines:
        return
    for writer in (sc.android, sc.ios, sc.telegram):
        assert as_read(read_chat(writer(lines).encode())) == lines, writer.__name__


# --- bad input ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("data", "where", "what"), [
    ("Dear diary,\ntoday was long.\n", "line 1", "doesn't look like a chat export"),
    ("\n\nChat with Sam\n14/03/2026, 09:01 - Sam: hi\n", "line 3", "before the first dated message"),
    ('{"name": "Sam", "messages": [\n{"id": 1,,}]}', "line 2, column 10", "isn't valid JSON"),
    ('{"name": "Sam"}', None, "no list of messages"),
    ('{"messages": [{"id": 7, "type": "message", "date": "yesterday", "text": "hi"}]}', "message 7", "date"),
    ('{"messages": [{"id": 7, "type": "message", "text": 42}]}', "message 7", "neither a string"),
    ("14/03/2026, 09:01 - Sam: hi\n31/13/2026, 09:02 - Alex: hey\n", "line 2", "can't be read"),
    ("14/03/2026, 09:01 - Sam: hi\n03/14/2026, 09:02 - Alex: hey\n", "line 2", "mix day-first and month-first"),
    ("14/03/2026, 13:01 PM - Sam: hi\n", "line 1", "can't be read"),
    ("   \n\n", None, "empty"),
    ("14/03/2026, 09:01 - Sam: <Media omitted>\n14/03/2026, 09:02 - Sam: This message was deleted\n", None,
     "no messages anyone typed.*1 attachment, 1 deleted message"),
])
def test_bad_input_gets_a_clear_error_naming_the_line(data, where, what):
    with pytest.raises(ExportError, match=what) as caught:
        read_chat(data)
    assert caught.value.where == where
    if where:
        assert str(caught.value).startswith(where + ":")


def test_bytes_that_are_not_utf8_name_the_line():
    with pytest.raises(ExportError, match="isn't UTF-8") as caught:
        read_chat(b"14/03/2026, 09:01 - Sam: hi\n" + "14/03/2026, 09:02 - Sam: café".encode("latin-1"))
    assert caught.value.where == "line 2"


def test_utf16_exports_are_read():
    assert as_read(read_chat(sc.android(LINES).encode("utf-16"))) == LINES


def test_broken_or_empty_zip_files():
    with pytest.raises(ExportError, match="can't be opened"):
        read_chat(b"PK\x03\x04 not really a zip")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("photo.jpg", b"\xff\xd8")
    with pytest.raises(ExportError, match="holds no chat"):
        read_chat(buffer.getvalue())


def test_size_limits_are_refused_with_a_clear_message(monkeypatch):
    monkeypatch.setattr(rd, "MAX_MESSAGES", 3)
    with pytest.raises(ExportError, match="4 messages; Sincerely reads up to 3"):
        read_chat(sc.android(LINES))
    monkeypatch.setattr(rd, "MAX_EXPORT_BYTES", 100)
    with pytest.raises(ExportError, match="reads up to 0 MB|Export a shorter stretch"):
        read_chat(sc.android(LINES))


def test_nothing_is_lost_silently():
    """Every dated line is a message or a counted skip; every other line is part of a message."""
    text = sc.android(sc.big(2_000, seed=3)) + "14/03/2026, 09:01 - Sam: <Media omitted>\n"
    chat = read_chat(text)
    headers = sum(bool(rd.ANDROID_HEADER.match(line)) for line in text.splitlines())
    assert len(chat.messages) + sum(chat.skipped.values()) == headers
    assert chat.skipped == {"system": 1, "media": 1}


def test_the_app_upload_limit_matches_the_readers_limit():
    import tomllib

    from support.app import ROOT

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] * 2**20 == rd.MAX_EXPORT_BYTES


@given(st.one_of(st.binary(max_size=400), st.text(max_size=400)))
def test_any_input_is_read_or_refused_with_export_error(data):
    """Random bytes or text never crash the reader: a Chat, or an ExportError."""
    try:
        chat = read_chat(data, "upload")
    except ExportError as exc:
        assert str(exc)
    else:
        assert chat.messages and all(m.text.strip() for m in chat.messages)


@given(st.lists(st.sampled_from([
    "14/03/2026, 09:01 - Sam: hi", "[14/03/2026, 09:01:00] Alex: hey", "Sam: hello", "{", "}", '"messages": [',
    "3/14/26, 9:05\u202fPM - Sam: yo", "31/12/2026, 25:61 - Sam: late", "", "   ", "\u200e", "<Media omitted>",
    "not a header at all", "PK\x03\x04", "\x00\x01", "Note: a label", "99/99/99, 99:99 - x: y"]), max_size=12))
def test_shuffled_export_lines_never_crash_the_reader_or_the_page_logic(lines):
    from ui import conversation as convo

    text = "\n".join(lines)
    try:
        read_chat(text)
    except ExportError:
        pass
    loaded = convo.load(text.encode(), "chat.txt")
    assert (loaded.chat is None) != (loaded.error is None)


def test_senders_lose_direction_marks_and_the_non_contact_tilde():
    text = ("[14/03/2026, 09:01:00] \u202a+44 7700 900123\u202c: hi\n"
            "[14/03/2026, 09:02:00] ~\u202fPriya: hey\n"
            "14/03/2026, 09:03 - ~ Priya: and me")
    assert read_chat(text).people == ["+44 7700 900123", "Priya"]
    assert read_chat(text.split("\n")[2]).people == ["Priya"]
