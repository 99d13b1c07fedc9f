"""Intent cues narrow the tool choice; they never widen it and stay quiet when unsure.

The phrasings here are deliberately not the evaluation set's (tests/data/agent_eval.jsonl)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from assistant.agent.cues import likely_tools
from assistant.core import Core
from assistant.engine.base import CancelToken

ALL = [
    "add_reminder",
    "list_agenda",
    "cancel_reminder",
    "move_reminder",
    "snooze_reminder",
    "complete_reminder",
    "search_chats",
    "search_documents",
    "search_memory",
    "now",
    "date_calc",
    "web_search",
    "fetch_page",
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("please remind me on Thursday to buy stamps", ["add_reminder"]),
        ("can you set an alarm for 6:45", ["add_reminder"]),
        ("book a dinner with Ana next Friday", ["add_reminder"]),
        ("what's on this afternoon", ["list_agenda"]),
        ("am I busy on the 12th?", ["list_agenda"]),
        ("call off the physio appointment", ["cancel_reminder"]),
        ("postpone the team sync by a day", ["move_reminder"]),
        ("snooze that for an hour", ["snooze_reminder"]),
        ("tick off the groceries reminder as done", ["complete_reminder"]),
        ("what did we decide about the logo?", ["search_chats"]),
        ("look in my pdfs for the router password", ["search_documents"]),
        ("what does the contract say about notice periods", ["search_documents"]),
        ("did you remember where I parked?", ["search_memory"]),
        ("what day is it today?", ["now"]),
        ("how many weeks until my exam on 2 June?", ["date_calc"]),
        ("google the population of Lisbon", ["web_search"]),
        ("summarise https://example.org/post", ["fetch_page"]),
    ],
)
def test_clear_phrasings_name_their_tool(text: str, expected: list[str]) -> None:
    assert likely_tools(text, ALL) == expected


@pytest.mark.parametrize(
    "text",
    [
        "remind me what photosynthesis is",  # "remind me what ..." asks for an explanation
        "write a short poem about rain",
        "how do I cook rice?",
        "remember that my sister's birthday is 3 May",  # a fact to save, handled by memory
    ],
)
def test_no_cue_leaves_every_tool_open(text: str) -> None:
    assert likely_tools(text, ALL) == []


def test_ambiguous_phrasing_names_every_candidate() -> None:
    both = likely_tools("find my notes about the meeting we talked about", ALL)
    assert "search_documents" in both and "search_chats" in both


def test_only_available_tools_are_named() -> None:
    assert likely_tools("google the weather", ["add_reminder", "now"]) == []


def test_the_loop_offers_the_model_only_the_cued_tool(make_core: Callable[..., Core]) -> None:
    core = make_core(replies=["It is noon."])
    core.engine.constrained = ['{"tool": "now"}']  # type: ignore[attr-defined]
    cid = core.chats.create_conversation()
    list(core.session.send(cid, "what time is it?", CancelToken()))
    choice = next(r for r in core.engine.requests if r.json_schema is not None)  # type: ignore[attr-defined]
    assert choice.json_schema["properties"]["tool"]["enum"] == ["now"]
    core.agent.use_cues = False  # type: ignore[attr-defined]
    core.engine.constrained = ['{"tool": "now"}']  # type: ignore[attr-defined]
    before = len(core.engine.requests)  # type: ignore[attr-defined]
    list(core.session.send(cid, "what time is it?", CancelToken()))
    choice = next(
        r
        for r in core.engine.requests[before:]
        if r.json_schema is not None  # type: ignore[attr-defined]
    )
    assert len(choice.json_schema["properties"]["tool"]["enum"]) > 5 and "none" in str(choice.json_schema)


def test_quoted_arguments_can_only_be_the_users_words() -> None:
    import re

    from assistant.agent.prompts import constrained

    schema = constrained(
        {"type": "object", "properties": {"text": {"type": "string"}, "kind": {"enum": ["a", "b"]}}},
        quote_from="Remind me tomorrow at 9 to call mum.",
    )
    pattern = re.compile(schema["properties"]["text"]["pattern"])
    assert pattern.match("tomorrow at 9") and pattern.match("call mum")
    assert not pattern.match("water the plants") and not pattern.match("call mum.")
    assert schema["properties"]["kind"]["enum"] == ["a", "b"]


@pytest.mark.parametrize(
    ("text", "when", "expected"),
    [
        ("Remind me tomorrow at 9 to call mum", "tomorrow at 9", "call mum"),
        ("in 2 hours remind me to stretch", "2 hours", "stretch"),
        ("pay rent on the first Monday of each month", "on the first Monday of each month", "pay rent"),
        ("check email", "every weekday at 8", "check email"),
        # Nothing left but the lead-in: keep what the user said rather than invent.
        ("Set a reminder for Friday at 11am", "Friday at 11am", "Set a reminder for Friday at 11am"),
    ],
)
def test_reminder_text_drops_the_time_and_the_lead_in(text: str, when: str, expected: str) -> None:
    from assistant.tools.schedule import reminder_text

    assert reminder_text(text, when) == expected
