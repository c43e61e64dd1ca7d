"""One meeting end to end, in a real browser: dagordning → kallelse → protokoll →
chair and two justerare approve → public minutes → utdrag → an uppdrag closed →
the eight kommunstyrelser adopt the joint yttrande."""
import datetime

import pytest

from tests.conftest import ensure_roles
from django.contrib.auth.models import Group, User
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from calendar_app.models import Event
from meetings.models import Assignment, Meeting, ParagraphAdoption
from plans.models import Body, Municipality
from sodertorn.dates import Precision
from secretariat.seed import seed_load
from tests.a11y import assert_no_axe_violations
from tests.meetings.conftest import approver, members

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "möte-lösen-123"


def login(page, base, username):
    page.context.clear_cookies()
    page.goto(base + "/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()


def run_action(page, base, model, pk, action):
    page.goto(f"{base}/admin/meetings/{model}/")
    page.locator(f"input[name=_selected_action][value='{pk}']").check()
    page.locator("select[name=action]").select_option(action)
    page.locator("button[name=index]").click()


def test_one_meeting_from_agenda_to_the_eight_adoptions(live_server, page, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    seed_load()
    ensure_roles()
    base = live_server.url
    today = timezone.localdate()
    body = Body.objects.get(slug="samarbetskommitten")
    people = members(body, today.year)
    event = Event.objects.create(
        kind=Event.Kind.MEETING, body=body, year=today.year, date_precision=Precision.DAY, start_date=today,
        start_time=datetime.time(12), end_time=datetime.time(15), place=Municipality.objects.get(slug="huddinge"),
    )
    meeting = Meeting.objects.create(event=event, chair=people[0], secretary=people[2])
    kansli = User.objects.create_user("kansli", password=PASSWORD, is_staff=True)
    kansli.groups.add(Group.objects.get(name="Sekretariat"))
    for person, username in ((people[0], "ordforande"), (people[1], "justerare1"), (people[3], "justerare2")):
        user = approver(person, username)
        user.set_password(PASSWORD)
        user.save()

    # Dagordning, in the admin.
    login(page, base, "kansli")
    page.goto(f"{base}/admin/meetings/meeting/{meeting.pk}/change/")
    for i, title in enumerate(["Verksamhetsplan 2027", "Yttrande över regional utvecklingsplan"]):
        page.locator("#items-group .add-row a").click()
        page.locator(f"#id_items-{i}-position").fill(str(i + 1))
        page.locator(f"#id_items-{i}-title").fill(title)
        page.locator(f"#id_items-{i}-presenter").fill("Kansliet")
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist")).to_contain_text("Ändrade")
    assert meeting.items.count() == 2 and meeting.paragraphs.count() == 2

    # Kallelse: attendance from the year's members, then the notice to all eight.
    run_action(page, base, "meeting", meeting.pk, "fill_attendance")
    expect(page.locator(".messagelist")).to_contain_text("8 ledamöter tillagda")
    run_action(page, base, "meeting", meeting.pk, "send_notice")
    expect(page.locator(".messagelist")).to_contain_text("Kallelsen skickad till 8 ledamöter")
    expect(page.locator(".messagelist")).to_contain_text("senare än 7 dagar")
    assert len(mail.outbox) == 1 and "Yttrande över regional utvecklingsplan" in mail.outbox[0].body
    page.goto(base + meeting.get_absolute_url())
    kallelse = page.request.get(base + page.get_by_role("link", name="Kallelse (PDF)").get_attribute("href"))
    assert kallelse.headers["content-type"] == "application/pdf"

    # Protokoll: justerare, decisions, and the joint yttrande; then numbering.
    page.goto(f"{base}/admin/meetings/meeting/{meeting.pk}/change/")
    rows = list(meeting.attendance.all().values_list("id", "person_id"))  # the inline's order
    for index, (pk, person_id) in enumerate(rows):
        if person_id in (people[1].pk, people[3].pk):
            page.locator(f"#id_attendance-{index}-adjuster").check()
    for index, (pk, title) in enumerate(meeting.paragraphs.all().values_list("id", "item__title")):
        if title.startswith("Verksamhetsplan"):
            page.locator(f"#id_paragraphs-{index}-decision").fill("att fastställa verksamhetsplan och budget 2027")
        else:
            page.locator(f"#id_paragraphs-{index}-decision").fill(
                "att avge yttrande enligt förslaget\natt rekommendera kommunstyrelserna att anta yttrandet"
            )
            page.locator(f"#id_paragraphs-{index}-joint").check()
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist")).to_contain_text("Ändrade")
    run_action(page, base, "meeting", meeting.pk, "draw_up_minutes")
    expect(page.locator(".messagelist")).to_contain_text("Protokollet upprättat med 2 paragrafer")

    # Justering: the chair and the two justerare, each signed in.
    for username in ("justerare1", "ordforande", "justerare2"):
        login(page, base, username)
        page.goto(base + meeting.get_absolute_url())
        if username == "justerare1":
            assert_no_axe_violations(page)  # the draft minutes with the justering form
        page.get_by_role("button", name="Justera protokollet som").click()
        expect(page.locator(".messages")).to_contain_text("juster")
    expect(page.locator(".messages")).to_contain_text("Protokollet är justerat och låst.")
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.APPROVED and meeting.archive.sha256

    # The public reads the minutes, downloads them and an utdrag.
    page.context.clear_cookies()
    page.goto(base + "/sammantraden/")
    # By its address: a date's day ("1 ") is also part of "11 december" and "21 …".
    page.locator(f'main a[href="{meeting.get_absolute_url()}"]').first.click()
    expect(page.get_by_role("heading", level=3, name="§ 2 Yttrande över regional utvecklingsplan")).to_be_visible()
    assert_no_axe_violations(page)
    protocol = page.request.get(base + page.get_by_role("link", name="Protokoll (PDF)").get_attribute("href"))
    assert protocol.body() == bytes(meeting.archive.pdf)
    extract = page.request.get(base + page.get_by_role("link", name="Protokollsutdrag § 2 (PDF)").get_attribute("href"))
    assert extract.headers["content-type"] == "application/pdf" and extract.body().startswith(b"%PDF-")

    # An uppdrag from the att-clause, followed up and closed.
    login(page, base, "kansli")
    joint = meeting.paragraphs.get(number=2)
    page.goto(f"{base}/admin/meetings/paragraph/{joint.pk}/change/")
    page.locator("#assignments-group .add-row a").click()
    page.locator("#id_assignments-0-clause").fill("2")
    page.locator("#id_assignments-0-description").fill("Bevaka kommunstyrelsernas antaganden")
    page.locator("#id_assignments-0-to_body").select_option(label="Kansliet")
    page.locator("#id_assignments-0-due_date").fill((today + datetime.timedelta(days=60)).strftime("%Y-%m-%d"))
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist")).to_contain_text("Ändrade")
    page.goto(base + "/uppdrag/")
    expect(page.get_by_role("table", name="Pågående uppdrag")).to_contain_text("Bevaka kommunstyrelsernas antaganden")
    assert_no_axe_violations(page)
    assignment = Assignment.objects.get()
    page.goto(f"{base}/admin/meetings/assignment/{assignment.pk}/change/")
    page.locator("#id_status").select_option("done")
    page.locator("#id_closed_on").fill(today.strftime("%Y-%m-%d"))
    page.locator("#id_outcome").fill("Alla åtta har antagit yttrandet.")
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist")).to_contain_text("Ändrade")
    page.goto(base + "/uppdrag/")
    expect(page.get_by_role("table", name="Senast avslutade uppdrag")).to_contain_text("Alla åtta har antagit yttrandet.")
    assert list(assignment.history.order_by("history_id").values_list("status", flat=True)) == ["open", "done"]

    # The eight kommunstyrelser adopt the joint yttrande.
    run_action(page, base, "paragraph", joint.pk, "send_to_municipalities")
    expect(page.locator(".messagelist")).to_contain_text("skickad till 8 kommuner")
    page.goto(f"{base}/admin/meetings/paragraph/{joint.pk}/change/")
    for i in range(8):
        page.locator(f"#id_adoptions-{i}-status").select_option("decided")
        page.locator(f"#id_adoptions-{i}-decided_on").fill(today.strftime("%Y-%m-%d"))
        page.locator(f"#id_adoptions-{i}-assembly").select_option("ks")
        page.locator(f"#id_adoptions-{i}-decision_paragraph").fill(f"§ {40 + i}")
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist")).to_contain_text("Ändrade")
    assert ParagraphAdoption.objects.filter(paragraph=joint, status="decided").count() == 8
    page.context.clear_cookies()
    page.goto(base + meeting.get_absolute_url())
    expect(page.locator("#protokoll")).to_be_visible()
    expect(page.get_by_text("8 av 8 har antagit")).to_be_visible()
    assert_no_axe_violations(page)
    page.set_viewport_size({"width": 320, "height": 800})
    wide = page.evaluate("""() => { const out=[]; const walker=document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          while (walker.nextNode()) { const r=document.createRange(); r.selectNodeContents(walker.currentNode); const b=r.getBoundingClientRect();
            if (b.right>321) out.push(walker.currentNode.textContent.trim().slice(0,40)+' '+Math.round(b.right)); } return out.slice(0,6); }""")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, wide
    for path in ("/sammantraden/", f"/sammantraden/samarbetskommitten/{today.year}/"):
        page.goto(base + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
        assert_no_axe_violations(page)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(base + event.get_absolute_url())
    page.get_by_role("link", name="Dagordning och protokoll").click()
    expect(page).to_have_url(base + meeting.get_absolute_url())
