"""Whole conversations: read a chat export (WhatsApp, Telegram, a pasted thread) and look at it message by message
and person by person. Runs on the detector's public methods only."""
from .analysis import ConversationReport, HotColdObservation, MessageFlags, PersonFigures, analyze_chat
from .readers import Chat, Message, read_chat

__all__ = ["Chat", "ConversationReport", "HotColdObservation", "Message", "MessageFlags", "PersonFigures",
           "analyze_chat", "read_chat"]
