"""Issue 20, found 5: minutes are drawn up safely. Paragraph numbers are given under a
lock per body and year, in the meetings' date order, with no gap; a refusal can
always be resolved; drawing up twice gives one protokoll and a message, never a 500."""
import datetime

import pytest
from django.core.exceptions import ValidationError

from calendar_app.models import Event
from meetings.models import AgendaItem, Attendance, Meeting, MinutesApproval, Paragraph
from meetings.services import meeting_draw_up_minutes, meeting_send_notice, minutes_approve
from plans.models import Body
from sodertorn.dates import Precision
from tests.admin_forms import messages_of

from .concurrency import at_once, committed_meetings, in_own_connection, on_postgresql  # noqa: F401 (fixture)
from .conftest import approver, build_meeting, members, write_minutes
from .test_flow import at, held

pytestmark = pytest.mark.django_db


def noticed(date: datetime.date, **kwargs) -> Meeting:
    """A meeting kallat to, with its minutes written but not drawn up."""
    meeting = build_meeting(date, **kwargs)
    meeting_send_notice(meeting=meeting, now=at(date - datetime.timedelta(days=10)))
    write_minutes(meeting)
    meeting.refresh_from_db()
    return meeting


def numbers(meeting: Meeting) -> list:
    return list(Paragraph.objects.filter(meeting=meeting).order_by("item__position").values_list("number", flat=True))


def test_an_earlier_meeting_drawn_up_after_a_later_one_takes_its_place_in_the_numbering():
    """The later minutes are not yet being justerade, so their paragraphs move up."""
    first = held(datetime.date(2026, 2, 5))
    early = noticed(datetime.date(2026, 3, 5))
    late = held(datetime.date(2026, 4, 2), items=("Budget", "Remiss", "Övrigt"))
    assert numbers(late) == [3, 4, 5]

    outcome = meeting_draw_up_minutes(meeting=early, now=at(datetime.date(2026, 4, 3)))
    assert outcome.count == 2
    assert numbers(first) == [1, 2] and numbers(early) == [3, 4] and numbers(late) == [5, 6, 7]
    assert outcome.warnings == [
        "Sammanträdet 2026-04-02 hade redan numrerade paragrafer; de har numrerats om till § 5–7 "
        "så att numren följer datumen."
    ]
    assert Meeting.objects.get(pk=early.pk).status == Meeting.Status.HELD
    assert Meeting.objects.get(pk=late.pk).status == Meeting.Status.HELD


def test_a_later_meeting_being_justerat_is_never_renumbered_and_the_refusal_says_what_to_do():
    early = noticed(datetime.date(2026, 3, 5))
    late = held(datetime.date(2026, 4, 2))
    signer = late.approvals.filter(role=MinutesApproval.Role.ADJUSTER).select_related("person").first()
    minutes_approve(meeting=late, user=approver(signer.person, "forste"), now=at(datetime.date(2026, 4, 3)))

    with pytest.raises(ValidationError) as refusal:
        meeting_draw_up_minutes(meeting=early, now=at(datetime.date(2026, 4, 4)))
    assert refusal.value.messages == [
        "Ett senare sammanträde (2026-04-02, § 1–2) har ett protokoll som justeras, och dess paragrafer "
        "numreras aldrig om. Kontrollera att det här sammanträdet hölls 2026-03-05. Ska det ha protokoll, "
        "välj ”Upprätta protokoll efter årets sista paragraf”: paragraferna får då nummer från § 3, och "
        "numren följer inte datumordningen."
    ]
    assert numbers(early) == [None, None] and numbers(late) == [1, 2]

    outcome = meeting_draw_up_minutes(meeting=early, now=at(datetime.date(2026, 4, 4)), after_last=True)
    assert numbers(early) == [3, 4] and numbers(late) == [1, 2]
    assert outcome.warnings == [
        "Paragraferna fick § 3–4, efter årets sista paragraf, eftersom ett senare sammanträde redan justeras; "
        "numren följer inte datumordningen."
    ]


def test_drawing_up_the_minutes_twice_gives_one_protokoll_and_says_so():
    meeting = held(datetime.date(2026, 3, 5))
    with pytest.raises(ValidationError, match=r"Protokollet är redan upprättat \(2026-03-05 16\.00\); det upprättas bara en gång\."):
        meeting_draw_up_minutes(meeting=Meeting.objects.get(pk=meeting.pk), now=at(datetime.date(2026, 3, 5), 17))
    assert numbers(meeting) == [1, 2] and meeting.approvals.count() == 3


def test_a_double_submit_of_upprata_protokoll_in_the_admin_answers_with_one_protokoll(sekretariat, text_of):
    """The second post finds the protokoll the first drew up: a message, not a 500."""
    meeting = noticed(datetime.date(2026, 3, 5))
    post = {"action": "draw_up_minutes", "_selected_action": [meeting.pk], "index": 0}
    first = sekretariat.post("/admin/meetings/meeting/", post, follow=True)
    second = sekretariat.post("/admin/meetings/meeting/", post, follow=True)
    assert first.status_code == second.status_code == 200
    assert "Protokollet upprättat med 2 paragrafer." in messages_of(first)
    assert "det upprättas bara en gång" in messages_of(second)
    assert numbers(meeting) == [1, 2] and meeting.approvals.count() == 3


def test_the_admin_draws_up_selected_meetings_in_date_order(sekretariat):
    early, late = noticed(datetime.date(2026, 3, 5)), noticed(datetime.date(2026, 4, 2))
    response = sekretariat.post("/admin/meetings/meeting/", {
        "action": "draw_up_minutes", "_selected_action": [late.pk, early.pk], "index": 0}, follow=True)
    assert "numrerats om" not in messages_of(response)
    assert numbers(early) == [1, 2] and numbers(late) == [3, 4]


def test_the_admin_offers_drawing_up_after_the_years_last_paragraph(sekretariat):
    early = noticed(datetime.date(2026, 3, 5))
    late = held(datetime.date(2026, 4, 2))
    signer = late.approvals.filter(role=MinutesApproval.Role.ADJUSTER).select_related("person").first()
    minutes_approve(meeting=late, user=approver(signer.person, "forste"), now=at(datetime.date(2026, 4, 3)))
    response = sekretariat.post("/admin/meetings/meeting/", {
        "action": "draw_up_minutes_after_last", "_selected_action": [early.pk], "index": 0}, follow=True)
    assert "Protokollet upprättat med 2 paragrafer." in messages_of(response)
    assert numbers(early) == [3, 4]


def quickly_noticed(date: datetime.date, people) -> int:
    """A kallat meeting with two ärenden and their decisions, made directly: the
    trials below need forty of them, and they are about the numbering only."""
    body = Body.objects.get(slug="samarbetskommitten")
    event = Event.objects.create(kind=Event.Kind.MEETING, body=body, year=date.year, date_precision=Precision.DAY,
                                 start_date=date)
    meeting = Meeting.objects.create(event=event, chair=people[0], secretary=people[1],
                                     status=Meeting.Status.NOTICED, notice_sent_at=at(date - datetime.timedelta(days=10)))
    for position, title in enumerate(("Verksamhetsplan", "Remissvar"), start=1):
        item = AgendaItem.objects.create(meeting=meeting, position=position, title=title)
        Paragraph.objects.create(meeting=meeting, item=item, decision=f"att godkänna {title.lower()}")
    Attendance.objects.create(meeting=meeting, person=people[2], municipality=people[2].municipality, adjuster=True)
    return meeting.pk


def _people(year: int):
    return members(Body.objects.get(slug="samarbetskommitten"), year)


@on_postgresql
def test_two_meetings_of_one_body_drawn_up_at_once_both_get_their_protokoll_in_date_order(committed_meetings):
    """The issue's trial, 20 times: two secretaries draw up the minutes of two meetings
    of one body at the same moment. Before, the earlier meeting was refused in 14 of 20
    and could never get its protokoll; now both succeed, numbered in date order."""
    year = committed_meetings
    now = at(datetime.date(year, 12, 31))
    def setup():
        people = _people(year)
        days = [datetime.date(year, 1, 10) + datetime.timedelta(days=7 * trial) for trial in range(20)]
        return [(quickly_noticed(day, people), quickly_noticed(day + datetime.timedelta(days=2), people)) for day in days]

    results = []
    for early, late in in_own_connection(setup):

        def draw_up(pk):
            def run(wait):
                meeting = Meeting.objects.get(pk=pk)
                wait()
                return meeting_draw_up_minutes(meeting=meeting, now=now).count
            return run

        counts = at_once(draw_up(late), draw_up(early), reraise=False)
        results.append([c if isinstance(c, int) else str(c) for c in counts])
    assert results == [[2, 2]] * 20

    def year_numbers():
        return list(Paragraph.objects.filter(year=year).order_by("meeting__event__start_date", "item__position")
                    .values_list("number", flat=True))
    assert in_own_connection(year_numbers) == list(range(1, 81))


@on_postgresql
def test_a_double_submit_in_two_requests_at_once_gives_one_protokoll(committed_meetings):
    """Two requests of "Upprätta protokoll" for one meeting at the same moment, 5 times:
    one draws up the minutes, the other is told so; never an IntegrityError."""
    year = committed_meetings
    people = in_own_connection(lambda: _people(year))
    results = []
    for trial in range(5):
        pk = in_own_connection(lambda: quickly_noticed(datetime.date(year, 2, 1) + datetime.timedelta(days=7 * trial), people))

        def draw_up(wait):
            meeting = Meeting.objects.get(pk=pk)
            wait()
            return meeting_draw_up_minutes(meeting=meeting, now=at(datetime.date(year, 12, 31))).count

        outcomes = at_once(draw_up, draw_up, reraise=False)
        results.append(sorted(
            "drawn up" if o == 2 else "told" if isinstance(o, ValidationError) and "bara en gång" in str(o) else repr(o)
            for o in outcomes))
        assert in_own_connection(lambda: MinutesApproval.objects.filter(meeting_id=pk).count()) == 2
    assert results == [["drawn up", "told"]] * 5


@on_postgresql
def test_a_double_submit_of_the_admin_action_in_two_requests_at_once_never_answers_500(committed_meetings):
    """The issue's trial through the admin, 5 times: the same "Upprätta protokoll"
    posted twice at the same moment (a double click). Before, 5 of 5 answered 500."""
    from django.contrib.auth.models import User
    from django.contrib.sessions.models import Session
    from django.test import Client

    year = committed_meetings
    people = in_own_connection(lambda: _people(year))
    user_pk = in_own_connection(lambda: User.objects.create_superuser("dubbelklick", password="x").pk)
    sessions = []
    results = []
    try:
        for trial in range(5):
            pk = in_own_connection(lambda: quickly_noticed(datetime.date(year, 3, 1) + datetime.timedelta(days=7 * trial), people))

            def submit(wait):
                client = Client(raise_request_exception=False)
                client.force_login(User.objects.get(pk=user_pk))
                sessions.append(client.session.session_key)
                wait()
                response = client.post("/admin/meetings/meeting/", {
                    "action": "draw_up_minutes", "_selected_action": [pk], "index": 0}, follow=True)
                # The page itself, not response.context: the test client collects the
                # templates rendered by every thread.
                return response.status_code, response.content.decode()

            outcomes = at_once(submit, submit)
            results.append(sorted(
                (status, "upprättat" if "Protokollet upprättat med 2 paragrafer." in text
                 else "redan" if "det upprättas bara en gång" in text else text)
                for status, text in outcomes))
    finally:
        def remove_user():
            Session.objects.filter(session_key__in=sessions).delete()
            User.objects.filter(pk=user_pk).delete()
        in_own_connection(remove_user)
    assert results == [[(200, "redan"), (200, "upprättat")]] * 5
