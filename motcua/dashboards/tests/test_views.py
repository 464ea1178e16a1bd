"""The dashboards' pages: who sees what, drill-down counts, lists, bad input, the weekly publication."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from motcua.accounts.roles import Role
from motcua.accounts.testing import verified_staff_client
from motcua.dashboards.models import WeeklyIndex
from motcua.dossiers.factories import staff
from motcua.metrics.models import PublishedIndex
from motcua.metrics.periods import parse_period
from motcua.metrics.services import index_766_maintained
from motcua.metrics.tests.test_dashboard import AUGUST, NOW, tell_story

pytestmark = pytest.mark.django_db

DASH = reverse("dashboards:dashboard")


@pytest.fixture
def story(province):
    return province, tell_story(province)


@pytest.fixture
def controller(client, story):
    return verified_staff_client(client, story[0].controller)


@pytest.fixture
def leader_a(story):
    return verified_staff_client(Client(), story[0].a.leader)


def drill(code, part):
    return reverse("dashboards:drilldown", args=[code, part])


def test_the_controller_sees_the_index_and_its_drilldown_links(controller, story):
    p, _d = story
    response = controller.get(DASH, {"unit": p.a.unit.code, "period": AUGUST})
    assert response.status_code == 200
    html = response.content.decode()
    assert f"{drill('2.1', 'numerator')}?unit={p.a.unit.code}&amp;period={AUGUST}" in html
    assert f"{drill('2.1', 'denominator')}?unit={p.a.unit.code}&amp;period={AUGUST}" in html
    assert drill("1.1", "numerator") not in html  # procedure metrics have no dossier list
    assert "<svg" in html
    assert 'class="gauge"' in html
    # Comparison of the children of the province.
    root = controller.get(DASH, {"unit": p.root.code, "period": AUGUST}).content.decode()
    assert p.a.unit.name in root
    assert p.b.unit.name in root


def test_each_drilldown_page_lists_as_many_dossiers_as_the_figure(controller, story):
    p, d = story
    period = parse_period(AUGUST, today=NOW.date())
    index = index_766_maintained(unit=p.a.unit, period=period, now=NOW)
    for code, part in (("2.1", "numerator"), ("2.1", "denominator"), ("4.3", "denominator"), ("5.4", "denominator")):
        response = controller.get(drill(code, part), {"unit": p.a.unit.code, "period": AUGUST})
        assert response.status_code == 200, (code, part)
        metric = index.metric(code)
        expected = metric.numerator if part == "numerator" else metric.denominator
        assert response.context["total"] == expected == len(response.context["rows"])
    good = controller.get(drill("2.1", "numerator"), {"unit": p.a.unit.code, "period": AUGUST}).content.decode()
    for name in ("S2", "S3", "S6"):
        assert reverse("backoffice:dossier", args=[d[name].code]) in good
    assert d["S1"].code not in good


def test_a_leader_sees_his_commune_and_nothing_else(leader_a, story):
    p, _d = story
    own = leader_a.get(DASH, {"period": AUGUST})
    assert own.status_code == 200
    assert own.context["unit"] == p.a.unit
    assert leader_a.get(DASH, {"unit": p.b.unit.code, "period": AUGUST}).status_code == 404
    assert leader_a.get(DASH, {"unit": p.root.code, "period": AUGUST}).status_code == 404
    assert leader_a.get(drill("2.1", "numerator"), {"unit": p.b.unit.code, "period": AUGUST}).status_code == 404
    assert leader_a.get(reverse("dashboards:late"), {"unit": p.b.unit.code, "period": AUGUST}).status_code == 404
    assert leader_a.get(reverse("dashboards:apologies"), {"unit": p.b.unit.code}).status_code == 404
    assert leader_a.get(reverse("dashboards:officials"), {"unit": p.b.unit.code}).status_code == 404


def test_staff_without_a_dashboard_role_and_citizens_are_refused(story):
    p, _d = story
    officer = verified_staff_client(Client(), p.a.officer)
    assert officer.get(DASH).status_code == 403
    citizen = Client()
    citizen.force_login(p.citizen)
    assert citizen.get(DASH).status_code == 403
    anonymous = Client().get(DASH)
    assert anonymous.status_code == 302
    assert "/dang-nhap/" in anonymous["Location"] or "login" in anonymous["Location"].lower()


@pytest.mark.parametrize("period", ["2025-13", "abc", "2025-Q5", "1999", "2026-01", "x" * 500])
def test_a_bad_period_is_a_400_with_the_reason(controller, story, period):
    p, _d = story
    before = (PublishedIndex.objects.count(), WeeklyIndex.objects.count())
    for url in (DASH, drill("2.1", "numerator"), reverse("dashboards:late"), reverse("dashboards:apologies")):
        response = controller.get(url, {"unit": p.a.unit.code, "period": period})
        assert response.status_code == 400, (url, period)
        assert 'role="alert"' in response.content.decode()
    assert (PublishedIndex.objects.count(), WeeklyIndex.objects.count()) == before


def test_bad_unit_metric_or_part_is_a_404(controller, story):
    p, _d = story
    assert controller.get(DASH, {"unit": "000.00.99.H99", "period": AUGUST}).status_code == 404
    assert controller.get(drill("9.9", "numerator"), {"unit": p.a.unit.code, "period": AUGUST}).status_code == 404
    assert controller.get(drill("2.1", "other"), {"unit": p.a.unit.code, "period": AUGUST}).status_code == 404
    assert controller.get(drill("1.1", "numerator"), {"unit": p.a.unit.code, "period": AUGUST}).status_code == 404
    assert controller.get(drill("5.4", "numerator"), {"unit": p.a.unit.code, "period": AUGUST}).status_code == 404
    officials = controller.get(reverse("dashboards:officials"), {"unit": p.a.unit.code, "period": "2025"})
    assert officials.status_code == 400


def test_the_lists_of_late_dossiers_and_apologies(controller, story):
    p, d = story
    late = controller.get(reverse("dashboards:late"), {"unit": p.a.unit.code, "period": AUGUST})
    assert late.status_code == 200
    assert [row.code for row, _state in late.context["rows"]] == sorted(d[k].code for k in ("S1", "S4", "S5"))
    letters = controller.get(reverse("dashboards:apologies"), {"unit": p.root.code, "period": AUGUST})
    assert [a.dossier.code for a in letters.context["page"].object_list] == [d["S5"].code]
    officials = controller.get(reverse("dashboards:officials"), {"unit": p.root.code, "period": AUGUST})
    assert officials.status_code == 200
    assert officials.context["is_public"] is True


def test_publish_index_is_weekly_and_idempotent_and_feeds_the_api_and_the_public_page(story):
    p, _d = story
    out = io.StringIO()
    call_command("publish_index", stdout=out)  # today is Monday 15/09/2025: the week of 15/09
    assert "published" in out.getvalue()
    units = 3
    assert WeeklyIndex.objects.count() == 3 * units
    assert set(WeeklyIndex.objects.values_list("period", flat=True)) == {"2025-09", "2025-Q3", "2025"}
    first = list(WeeklyIndex.objects.order_by("pk").values_list("pk", "published_at", "figures"))
    published = list(PublishedIndex.objects.order_by("pk").values_list("pk", "published_at", "figures"))

    call_command("publish_index", "--date", "2025-09-17", stdout=io.StringIO())  # the same week again

    assert list(WeeklyIndex.objects.order_by("pk").values_list("pk", "published_at", "figures")) == first
    assert list(PublishedIndex.objects.order_by("pk").values_list("pk", "published_at", "figures")) == published

    # The API still answers anyone for a published period, and refuses an unpublished one.
    api = Client().get("/api/v1/metrics/766", {"unit": p.a.unit.code, "period": "2025-Q3"})
    assert api.status_code == 200
    assert api.json() == WeeklyIndex.objects.get(unit=p.a.unit, period="2025-Q3").figures
    assert Client().get("/api/v1/metrics/766", {"unit": p.a.unit.code, "period": AUGUST}).status_code == 401

    page = Client().get(reverse("dashboards:public-index"))
    assert page.status_code == 200
    html = page.content.decode()
    assert p.a.unit.name in html
    assert reverse("dashboards:public-unit", args=[p.a.unit.code]) in html
    history = Client().get(reverse("dashboards:public-unit", args=[p.a.unit.code]), {"kind": "quarter"})
    assert history.status_code == 200
    assert [h.period for h in history.context["history"]] == ["2025-Q3"]
    assert Client().get(reverse("dashboards:public-unit", args=["000.00.99.H99"])).status_code == 404


def test_publish_index_refuses_bad_arguments(story):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("publish_index", "--date", "15/09/2025", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("publish_index", "--unit", "NOPE", stdout=io.StringIO())
    assert WeeklyIndex.objects.count() == 0


def test_the_public_list_of_officials_is_monthly_and_minimal(story):
    p, d = story
    from motcua.dossiers.models import DossierStep

    DossierStep.objects.filter(dossier=d["S1"], finished_at__isnull=True).update(finished_at=NOW)
    p.a.specialist.full_name = "Nguyễn Văn Chậm"
    p.a.specialist.save(update_fields=["full_name"])
    from motcua.metrics.tests.conftest import vn

    DossierStep.objects.create(
        dossier=d["S1"],
        unit=p.a.unit,
        role="specialist",
        order=99,
        name="Thẩm định",
        started_at=vn(2025, 8, 11),
        due_at=vn(2025, 8, 12),
        assignee=p.a.specialist,
    )
    url = reverse("dashboards:public-officials")
    page = Client().get(url, {"month": AUGUST})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Nguyễn Văn Chậm" in html
    assert p.a.specialist.username not in html
    assert d["S1"].code not in html  # no dossier (hence no citizen) is named
    assert Client().get(url, {"month": "2025-09"}).status_code == 404  # published on 05/10
    assert Client().get(url, {"month": "2025-13"}).status_code == 400
    assert Client().get(url, {"month": "2025"}).status_code == 400


def test_an_agency_leader_of_the_province_reaches_every_commune(story):
    p, _d = story
    agency = staff(p.root, Role.AGENCY_LEADER, username="agency")
    client = verified_staff_client(Client(), agency)
    assert client.get(DASH, {"unit": p.b.unit.code, "period": AUGUST}).status_code == 200
