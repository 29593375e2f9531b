"""Readers for chat exports: WhatsApp's Android and iPhone .txt (or the .zip it shares), Telegram's result.json, and a
pasted thread of `Name: message` lines.

Everything is read in memory. Nothing is lost silently: lines nobody typed (media, deleted, system) are counted by
reason, every other line belongs to a message, and input that cannot be read raises ExportError naming the line.
"""
from __future__ import annotations

import io
import json
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from itertools import pairwise

from ..errors import ExportError
from .lexicon import chat_lexicon

WHATSAPP_ANDROID = "whatsapp-android"
WHATSAPP_IOS = "whatsapp-ios"
TELEGRAM = "telegram"
PASTED = "pasted"
FORMAT_LABELS = {WHATSAPP_ANDROID: "WhatsApp export (Android)", WHATSAPP_IOS: "WhatsApp export (iPhone)",
                 TELEGRAM: "Telegram export", PASTED: "pasted thread"}
SKIP_LABELS = {"media": ("attachment", "attachments"), "deleted": ("deleted message", "deleted messages"),
               "system": ("system line", "system lines"), "forwarded": ("forwarded message", "forwarded messages"),
               "empty": ("empty message", "empty messages")}
WHATSAPP_FILE_NAME = re.compile(r"WhatsApp Chat (?:with|-) (?P<title>.+?)(?:\.txt|\.zip)?$", re.IGNORECASE)

MAX_EXPORT_BYTES = 64 * 2**20  # a 50,000-message chat is about 4 MB of text
MAX_MESSAGES = 250_000
SNIFF_LINES = 200  # lines looked at to tell the formats apart

_DATE = r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}"
_TIME = r"\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:\s*[AaPp]\.?\s*[Mm]\.?)?"
ANDROID_HEADER = re.compile(rf"^\u200e?(?P<date>{_DATE}),?\s+(?P<time>{_TIME})\s+[-\u2013]\s+(?P<rest>.*)$")
IOS_HEADER = re.compile(rf"^\u200e?\[(?P<date>{_DATE}),?\s+(?P<time>{_TIME})\]\s+(?P<rest>.*)$")
TIME_PARTS = re.compile(r"(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?\s*(?:([AaPp])\.?\s*[Mm]\.?)?$")
# `Name: message`, optionally after a bracketed time ("[10:32] Sam: hi"); names are short and carry no sentence marks
PASTED_LINE = re.compile(r"^\s*(?:\[[^\]\n]{1,40}\]\s*)?(?P<name>[^\s:\[\]][^:\n.?!]{0,39}?)\s*:(?:\s+(?P<text>.*))?$")
MAX_NAME_WORDS = 4
FORMATS_HINT = ("Sincerely reads WhatsApp exports (Android or iPhone, .txt or .zip), Telegram's result.json, "
                "or a pasted thread with one `Name: message` per line.")


@dataclass(frozen=True)
class Message:
    """One message someone typed: `where` points back into the export ("line 12", "message 345")."""

    index: int
    sender: str
    text: str
    sent: datetime | None
    where: str


@dataclass
class Chat:
    format: str
    messages: list[Message]
    skipped: Counter = field(default_factory=Counter)  # reason -> lines or messages not checked
    title: str | None = None

    @property
    def people(self) -> list[str]:
        """Senders in order of their first message."""
        return list(dict.fromkeys(m.sender for m in self.messages))

    @property
    def timed(self) -> bool:
        return bool(self.messages) and all(m.sent is not None for m in self.messages)

    @property
    def format_label(self) -> str:
        return FORMAT_LABELS[self.format]

    def skipped_summary(self) -> str:
        """'12 attachments, 1 system line' (empty string when nothing was skipped)."""
        return ", ".join(f"{n:,} {SKIP_LABELS[r][n != 1]}" for r, n in self.skipped.most_common())


def read_chat(data: bytes | str, name: str = "") -> Chat:
    """Read an export (bytes of a file, or pasted text), telling the format from its content. Raises ExportError."""
    if isinstance(data, bytes):
        if data[:4] == b"PK\x03\x04":
            data, inner = _from_zip(data)
            name = inner if WHATSAPP_FILE_NAME.search(inner) else name
        text = _decode(data)
    else:
        text = data
    if len(text) > MAX_EXPORT_BYTES:
        raise ExportError(f"this export is {len(text) / 2**20:.0f} MB; Sincerely reads up to "
                          f"{MAX_EXPORT_BYTES // 2**20} MB. Export a shorter stretch of the chat.")
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ExportError("the export is empty.")
    if text.lstrip()[:1] == "{" or name.lower().endswith(".json"):
        chat = _read_telegram(text)
    else:
        lines = text.split("\n")
        sniff = [ln for ln in lines[:SNIFF_LINES * 5] if ln.strip()][:SNIFF_LINES]
        android = sum(bool(ANDROID_HEADER.match(ln)) for ln in sniff)
        ios = sum(bool(IOS_HEADER.match(ln)) for ln in sniff)
        if android or ios:
            fmt, header = (WHATSAPP_IOS, IOS_HEADER) if ios >= android else (WHATSAPP_ANDROID, ANDROID_HEADER)
            chat = _read_whatsapp(lines, header, fmt)
            titled = WHATSAPP_FILE_NAME.search(name.rsplit("/", 1)[-1])
            chat.title = titled["title"] if titled else None
        else:
            chat = _read_pasted(lines)
    if not chat.messages:
        skipped = f" (skipped: {chat.skipped_summary()})" if chat.skipped else ""
        raise ExportError(f"no messages anyone typed were found in this export{skipped}.")
    if len(chat.messages) > MAX_MESSAGES:
        raise ExportError(f"this chat has {len(chat.messages):,} messages; Sincerely reads up to {MAX_MESSAGES:,} at a "
                          "time. Export a shorter stretch of the chat.")
    return chat


# --- bytes to text ---------------------------------------------------------------------------------------------------


def _from_zip(data: bytes) -> tuple[bytes, str]:
    """The chat inside a shared .zip (WhatsApp's `_chat.txt` or `WhatsApp Chat with ….txt`, or a result.json)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = [i for i in archive.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, OSError) as exc:
        raise ExportError(f"this .zip file can't be opened ({exc}).") from exc
    chats = [i for i in infos if i.filename.rsplit("/", 1)[-1] == "_chat.txt"]
    chats = chats or [i for i in infos if i.filename.lower().endswith((".txt", "result.json"))]
    if not chats:
        raise ExportError("this .zip holds no chat: expected a .txt file (WhatsApp) or a result.json (Telegram).")
    chosen = chats[0]
    if chosen.file_size > MAX_EXPORT_BYTES:
        raise ExportError(f"the chat in this .zip is {chosen.file_size / 2**20:.0f} MB; Sincerely reads up to "
                          f"{MAX_EXPORT_BYTES // 2**20} MB.")
    try:
        return archive.read(chosen), chosen.filename
    except (zipfile.BadZipFile, OSError, RuntimeError) as exc:  # RuntimeError: encrypted entries
        raise ExportError(f"the chat in this .zip can't be read ({exc}).") from exc


def _decode(data: bytes) -> str:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise ExportError("this file isn't UTF-8 text, which WhatsApp and Telegram exports are. "
                          "Is it the right file?", f"line {line}") from exc


# --- WhatsApp ----------------------------------------------------------------------------------------------------------


def _read_whatsapp(lines: list[str], header: re.Pattern[str], fmt: str) -> Chat:
    raw: list[list] = []  # [line number, date, time, text so far]
    for number, line in enumerate(lines, 1):
        found = header.match(line)
        if found:
            raw.append([number, found["date"], found["time"], found["rest"]])
        elif raw:
            raw[-1][3] += "\n" + line  # a message that runs over several lines
        elif line.strip():
            raise ExportError("this line comes before the first dated message. " + FORMATS_HINT, f"line {number}")
    order = _date_order([(r[0], r[1]) for r in raw])
    lex = chat_lexicon()
    chat = Chat(fmt, [])
    for number, date, time, rest in raw:
        sent = _timestamp(date, time, order, number)
        rest = rest.rstrip()
        if lex.skip_reason(rest.replace("\u200e", "")) == "system":
            chat.skipped["system"] += 1
            continue
        sender, sep, body = rest.partition(": ")
        if not sep:
            chat.skipped["system"] += 1  # Android writes system lines with no sender
            continue
        _add(chat, clean_sender(sender), body, sent, f"line {number}")
    return chat


_BIDI_MARKS = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


def clean_sender(name: str) -> str:
    """A sender as people know them: without the direction marks phones wrap around numbers, or the "~" WhatsApp puts
    before someone not in your contacts."""
    return name.translate(_BIDI_MARKS).strip().lstrip("~").strip()


def _add(chat: Chat, sender: str, body: str, sent: datetime | None, where: str) -> None:
    """Append a message, or count it as skipped when it is not something a person typed."""
    lex = chat_lexicon()
    text = lex.edited_marker.sub("", body.replace("\u200e", "")).strip()
    if not text:
        chat.skipped["empty"] += 1
        return
    first = text.split("\n", 1)
    if len(first) == 2 and lex.skip_reason(first[0].strip()) == "media":
        text = first[1].strip()  # an attachment with a caption: the caption was typed
    reason = lex.skip_reason(text)
    if reason:
        chat.skipped[reason] += 1
        return
    chat.messages.append(Message(len(chat.messages), sender or "Unknown", text, sent, where))


def _date_order(dates: list[tuple[int, str]]) -> str:
    """'dmy', 'mdy' or 'ymd' for the whole file: a day over 12 settles it; otherwise the order that keeps the dates
    running forwards (a chat is written in time order), day first when both do."""
    day_first = month_first = None
    for number, date in dates:
        parts = re.split(r"[./-]", date)
        if len(parts[0]) == 4:
            return "ymd"
        a, b = int(parts[0]), int(parts[1])
        if a > 12 and day_first is None:
            day_first = number
        if b > 12 and month_first is None:
            month_first = number
    if day_first and month_first:
        raise ExportError("the dates mix day-first and month-first orders, so the times can't be read.",
                          f"line {max(day_first, month_first)}")
    if day_first or month_first:
        return "dmy" if day_first else "mdy"
    backwards = {}
    for order in ("dmy", "mdy"):
        keys = [_date_key(d, order) for _, d in dates]
        backwards[order] = sum(later < earlier for earlier, later in pairwise(keys))
    return "mdy" if backwards["mdy"] < backwards["dmy"] else "dmy"


def _date_key(date: str, order: str) -> tuple[int, int, int]:
    a, b, c = (int(p) for p in re.split(r"[./-]", date))
    if order == "ymd":
        return a, b, c
    year = c + 2000 if c < 100 else c
    return (year, b, a) if order == "dmy" else (year, a, b)


def _timestamp(date: str, time: str, order: str, number: int) -> datetime:
    parts = TIME_PARTS.match(time.strip())
    try:
        year, month, day = _date_key(date, order)
        hour, minute, second = int(parts[1]), int(parts[2]), int(parts[3] or 0)
        if parts[4]:
            if not 1 <= hour <= 12:
                raise ValueError("hour out of range for a 12-hour time")
            hour = hour % 12 + (12 if parts[4].lower() == "p" else 0)
        return datetime(year, month, day, hour, minute, second)
    except (ValueError, TypeError) as exc:
        raise ExportError(f"the date and time '{date}, {time}' can't be read ({exc}).", f"line {number}") from exc


# --- a pasted thread ----------------------------------------------------------------------------------------------


def _read_pasted(lines: list[str]) -> Chat:
    candidates = []
    for number, line in enumerate(lines, 1):
        found = PASTED_LINE.match(line)
        name = found["name"].strip() if found else ""
        candidates.append((number, line, name if found and len(name.split()) <= MAX_NAME_WORDS else ""))
    counts = Counter(name for _, _, name in candidates if name)
    # "Note: bring the key" inside a message is not a speaker: label words never are, and a name seen once must look
    # like one (capitalised, an emoji or a number) when others recur
    labels = chat_lexicon().not_speakers
    recurring = {n for n, c in counts.items() if c >= 2 and n.lower() not in labels}
    speakers = recurring | {n for n, c in counts.items() if c == 1 and n.lower() not in labels
                            and (not recurring or not n[0].islower())}
    if not speakers:
        first = next(number for number, line, _ in candidates if line.strip())
        raise ExportError("this doesn't look like a chat export. " + FORMATS_HINT, f"line {first}")
    chat = Chat(PASTED, [])
    current: list | None = None  # [line number, sender, text]

    def finish() -> None:
        if current is not None:
            _add(chat, current[1], current[2], None, f"line {current[0]}")

    for number, line, name in candidates:
        if name in speakers:
            finish()
            current = [number, name, PASTED_LINE.match(line)["text"] or ""]
        elif current is not None:
            current[2] += "\n" + line
        elif line.strip():
            raise ExportError("expected a `Name: message` line here (the first message of the thread).",
                              f"line {number}")
    finish()
    return chat


# --- Telegram --------------------------------------------------------------------------------------------------------

_TELEGRAM_MEDIA = ("photo", "file", "media_type", "sticker_emoji", "poll", "location_information",
                   "contact_information", "game_title", "invoice_information")


def _read_telegram(text: str) -> Chat:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ExportError(f"this isn't valid JSON ({exc.msg}). Telegram's export is the result.json file.",
                          f"line {exc.lineno}, column {exc.colno}") from exc
    except RecursionError as exc:
        raise ExportError("this JSON is nested too deeply to be a Telegram export.") from exc
    chat_data = data
    if isinstance(data, dict) and "messages" not in data and isinstance(data.get("chats"), dict):
        chats = [c for c in data["chats"].get("list", []) if isinstance(c, dict)]
        if len(chats) != 1:
            raise ExportError(f"this is a whole-account export with {len(chats)} chats. In Telegram Desktop, open the "
                              "one chat and choose ⋮ › Export chat history, then upload that result.json.")
        chat_data = chats[0]
    if not isinstance(chat_data, dict) or not isinstance(chat_data.get("messages"), list):
        raise ExportError("this JSON has no list of messages. Telegram's export is the result.json file "
                          "(choose the JSON format when exporting).")
    chat = Chat(TELEGRAM, [], title=chat_data.get("name") if isinstance(chat_data.get("name"), str) else None)
    for k, item in enumerate(chat_data["messages"]):
        where = f"message {item.get('id', k + 1)}" if isinstance(item, dict) else f"message #{k + 1}"
        if not isinstance(item, dict):
            raise ExportError("expected a message object here.", where)
        if item.get("type", "message") != "message":
            chat.skipped["system"] += 1
            continue
        if item.get("forwarded_from") is not None:
            chat.skipped["forwarded"] += 1  # someone else's words
            continue
        body = _telegram_text(item.get("text", ""), where)
        if not body.strip() and any(key in item for key in _TELEGRAM_MEDIA):
            chat.skipped["media"] += 1
            continue
        sender = item.get("from") if isinstance(item.get("from"), str) and item.get("from").strip() else "Deleted account"
        _add(chat, sender.strip(), body, _telegram_time(item, where), where)
    return chat


def _telegram_text(value, where: str) -> str:
    """Telegram writes plain text as a string, and formatted text as a list of strings and {type, text} pieces."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "".join(p if isinstance(p, str) else str(p.get("text", "")) if isinstance(p, dict) else "" for p in value)
    raise ExportError("the message text is neither a string nor a list of pieces.", where)


def _telegram_time(item: dict, where: str) -> datetime | None:
    value = item.get("date")
    if value is None:
        return None
    try:
        return datetime.fromisoformat(str(value))
    except ValueError as exc:
        raise ExportError(f"the date '{value}' can't be read.", where) from exc
