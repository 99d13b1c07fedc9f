"""English phrasing families found on fresh tuning requests: spans that count a repeat ("for the
next 5 mornings"), the end of a repeat said after the thing, lists of short day names, a reason
or an emoji after the thing, who gave the advice, and the clock time of the order's own clause
when a time of the context came first."""

from __future__ import annotations

from datetime import datetime

import pytest

from assistant.scheduler.zones import zone
from assistant.understand.intent import understand
from assistant.understand.when import When

LONDON = zone("Europe/London")
NOW = datetime(2027, 10, 6, 16, 25, tzinfo=LONDON)  # a Wednesday


def _read(text: str) -> tuple[str, str, str, str | None]:
    u = understand(text, NOW, "Europe/London")
    assert isinstance(u.when, When), (text, u.when)
    return u.intent, u.what, u.when.start.strftime("%Y-%m-%d %H:%M"), u.when.rrule


@pytest.mark.parametrize(
    ("text", "what", "at", "rule"),
    [
        ("For the next 5 mornings at 7 remind me to take the antibiotics", "take the antibiotics",
         "2027-10-07 07:00", "FREQ=DAILY;COUNT=5"),
        ("for the next 7 days remind me at 9pm to do my physio exercises", "do my physio exercises",
         "2027-10-06 21:00", "FREQ=DAILY;COUNT=7"),
        ("remind me every Monday at 8am to log my hours, until the end of August", "log my hours",
         "2027-10-11 08:00", "FREQ=WEEKLY;BYDAY=MO;UNTIL=20280831T235959"),
        ("daily at noon until the end of october remind me to log my step count", "log my step count",
         "2027-10-07 12:00", "FREQ=DAILY;UNTIL=20271031T235959"),
        ("every Tue, Thu and Sat at 6am - run 5k", "run 5k", "2027-10-07 06:00",
         "FREQ=WEEKLY;BYDAY=TU,TH,SA"),
        ("twice a week, Mondays and Thursdays at 6:30pm: pilates", "pilates", "2027-10-07 18:30",
         "FREQ=WEEKLY;BYDAY=MO,TH"),
        ("Every year on the 5th of November remind me to keep the dog inside (fireworks)",
         "keep the dog inside", "2027-11-05 09:00", "FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=5"),
        ("physio said do the knee exercises every evening at 9 for the next 10 days so remind me pls",
         "do the knee exercises", "2027-10-06 21:00", "FREQ=DAILY;COUNT=10"),
        ("every day at 10pm remind me to lock the back door because i keep forgetting and the cat gets out",
         "lock the back door", "2027-10-06 22:00", "FREQ=DAILY"),
        ("every Monday and Wednesday at 6pm remind me to go swimming", "go swimming", "2027-10-06 18:00",
         "FREQ=WEEKLY;BYDAY=MO,WE"),
    ],
)  # fmt: skip
def test_repeats(text: str, what: str, at: str, rule: str) -> None:
    assert _read(text) == ("add_reminder", what, at, rule)


@pytest.mark.parametrize(
    ("text", "what", "at"),
    [
        ("Could you set a reminder for Sunday evening to iron my work shirts? Cheers", "iron my work shirts",
         "2027-10-10 19:00"),
        ("remind me saturday afternoon to mow the lawn 🌱", "mow the lawn", "2027-10-09 15:00"),
        ("Can you remind me on Sunday at half past four to call grandma please x", "call grandma",
         "2027-10-10 16:30"),
        # the context's "friday between 10 and 12" / "thursday morning" are not the reminder's time
        ("ok so the gas safety guy is coming friday between 10 and 12 so can you remind me friday at 9:30 "
         "to tidy the boiler cupboard thanks", "tidy the boiler cupboard", "2027-10-08 09:30"),
        ("her appointment is thursday morning, can you nudge me thursday at 1pm to call her", "call her",
         "2027-10-07 13:00"),
        # with no clock time in the order's clause, the time said first stands
        ("Tomorrow at 9, remind me to call mum about Monday", "call mum about Monday", "2027-10-07 09:00"),
    ],
)  # fmt: skip
def test_the_what_and_the_orders_time(text: str, what: str, at: str) -> None:
    assert _read(text)[:3] == ("add_reminder", what, at)


@pytest.mark.parametrize(
    ("text", "what", "at"),
    [
        ("The 23rd of October is Priya's leaving do, could you remind me the day before at 6pm to buy her "
         "a card", "buy her a card", "2027-10-22 18:00"),
        ("My sister's flight lands on Saturday at 14:40, please remind me an hour before to leave",
         "leave", "2027-10-09 13:40"),
        ("half term starts mon 25 oct so remind me the friday before to sort out childcare",
         "sort out childcare", "2027-10-22 09:00"),
        ("my exam is on 12 november, remind me 2 days before to revise", "revise", "2027-11-10 09:00"),
    ],
)  # fmt: skip
def test_a_time_before_another_time(text: str, what: str, at: str) -> None:
    assert _read(text)[:3] == ("add_reminder", what, at)


def test_before_a_time_that_has_passed_is_refused() -> None:
    u = understand("the delivery comes at 5pm today, remind me 2 hours before", NOW, "Europe/London")
    assert u.problem is not None and u.problem.kind == "past"


@pytest.mark.parametrize(
    ("text", "named", "at"),
    [
        ("The gym reminder at 8 tonight, delay it by 45 minutes", "gym", "2027-10-06 20:45"),
        ("my 3pm call with Sam tomorrow - push it back an hour", "call with Sam", "2027-10-07 16:00"),
        ("can you bring the vet appointment forward 30 mins? it's Monday at 11am", "vet appointment",
         "2027-10-11 10:30"),
        ("Sunday's lunch with Kate is at 1pm but she's running late, move it 90 minutes later",
         "lunch with Kate", "2027-10-10 14:30"),
    ],
)  # fmt: skip
def test_a_move_by_an_amount_from_the_time_it_has(text: str, named: str, at: str) -> None:
    u = understand(text, NOW, "Europe/London")
    assert (u.intent, u.what) == ("move", named)
    assert isinstance(u.when, When) and u.when.start.strftime("%Y-%m-%d %H:%M") == at


@pytest.mark.parametrize(
    "text",
    [
        "Translate 'remind me tomorrow at noon' into Spanish",
        "roughly how many weeks till christmas",
        "what does 'snooze the alarm' mean?",
    ],
)
def test_questions_about_words_or_dates_are_no_orders(text: str) -> None:
    assert understand(text, NOW, "Europe/London").intent == "none"


def test_the_reminder_is_named_by_the_clause_of_the_order() -> None:
    u = understand("not now, hit snooze on the meds one", NOW, "Europe/London")
    assert (u.intent, u.what) == ("snooze", "meds")


@pytest.mark.parametrize(
    ("text", "what", "at"),
    [
        ("set a reminder for 7 to take the chicken out of the freezer", "take the chicken out of the freezer",
         "2027-10-06 19:00"),
        ("hey so parents evening is on friday, remind me at 5:45 that day to leave work early thanks",
         "leave work early", "2027-10-08 17:45"),
        ("Remind me on the 27th at noon to cancel the free trial before it charges me",
         "cancel the free trial", "2027-10-27 12:00"),
    ],
)  # fmt: skip
def test_fresh_five_families(text: str, what: str, at: str) -> None:
    assert _read(text)[:3] == ("add_reminder", what, at)


@pytest.mark.parametrize(
    ("text", "intent", "named"),
    [
        ("pls remove parkrun, knee's knackered", "cancel", "parkrun"),
        ("pls remove the pilates one on thursdays", "cancel", "pilates"),
        ("delete my account", "none", ""),
        ("remove the stain from my shirt", "none", ""),
        ("how do I remove duplicates in excel", "none", ""),
    ],
)
def test_short_orders_to_remove_a_plan(text: str, intent: str, named: str) -> None:
    u = understand(text, NOW, "Europe/London")
    assert (u.intent, u.what) == (intent, named)


def test_a_note_with_an_aside_in_brackets() -> None:
    u = understand("thurs 7pm book club!! (still haven't finished the book oops)", NOW, "Europe/London")
    assert (u.intent, u.what) == ("add_reminder", "book club")


def test_every_year_on_a_date_said_before() -> None:
    assert _read("mum's birthday is 14 feb, remind me every year on the day") == (
        "add_reminder", "mum's birthday", "2028-02-14 09:00", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=14")


@pytest.mark.parametrize(
    ("text", "intent", "what"),
    [
        ("Night shift finished late so remind me at 8:45 tomorrow to drop the car keys with Sam",
         "add_reminder", "drop the car keys with Sam"),
        ("My grandson's party is on Saturday. Remind me Friday at 6pm to wrap his present, thank you dear",
         "add_reminder", "wrap his present"),
        ("Choir practice is every other Wednesday at 7.15pm, can you remind me each time?", "add_reminder",
         "Choir practice"),
        ("my mum's birthday is 14 July, can you remind me every year at 9am so I never forget it again",
         "add_reminder", "my mum's birthday"),
        ("Could you pull up my schedule for next week please?", "list_agenda", ""),
        ("what am i doing this weekend", "list_agenda", ""),
    ],
)  # fmt: skip
def test_fresh_six_families(text: str, intent: str, what: str) -> None:
    u = understand(text, NOW, "Europe/London")
    assert (u.intent, u.what) == (intent, what)
