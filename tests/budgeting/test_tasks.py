"""Background work: phases that advance on their dates, alerts on guessing spikes."""

import datetime
import io

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from freezegun import freeze_time

from budgeting.choices import Phase
from budgeting.models import BudgetEdition, VotingCode
from budgeting.services import ballot_cast, edition_schedule_set
from budgeting.tasks import editions_advance_on_schedule, voting_guess_spike_notify
from tests.budgeting.factories import EditionFactory, ProjectFactory, voting_edition
from tests.cities.factories import ZoneFactory

pytestmark = pytest.mark.django_db
UTC = datetime.UTC


def at(day: int) -> datetime.datetime:
    return datetime.datetime(2026, 3, day, 9, 0, tzinfo=UTC)


@pytest.fixture
def scheduled(city_a, staff_a):
    edition = EditionFactory(city=city_a, phase=Phase.INFORMATION)
    ProjectFactory(edition=edition)
    edition_schedule_set(
        edition=edition,
        dates={Phase.INFORMATION: at(1), Phase.VOTING: at(10), Phase.COUNTING: at(20)},
        actor=staff_a,
    )
    return edition


def phase_of(edition):
    return BudgetEdition.objects.get(pk=edition.pk).phase


def test_an_edition_moves_into_voting_when_its_date_comes(scheduled, celery_conf):
    with freeze_time(at(9)):
        assert editions_advance_on_schedule.delay().get() == []
    assert phase_of(scheduled) == Phase.INFORMATION
    with freeze_time(at(10)):
        assert editions_advance_on_schedule.delay().get() == [scheduled.pk]
    assert phase_of(scheduled) == Phase.VOTING
    with freeze_time(at(25)):
        editions_advance_on_schedule.delay().get()
    assert phase_of(scheduled) == Phase.COUNTING


def test_drafts_and_manual_editions_stay_where_they_are(scheduled):
    BudgetEdition.objects.filter(pk=scheduled.pk).update(auto_advance=False)
    other = EditionFactory(phase=Phase.DRAFT)
    with freeze_time(at(15)):
        editions_advance_on_schedule()
    assert phase_of(scheduled) == Phase.INFORMATION
    assert phase_of(other) == Phase.DRAFT


def test_an_edition_with_nothing_on_the_ballot_waits_for_staff(scheduled):
    scheduled.projects.all().delete()
    with freeze_time(at(15)):
        assert editions_advance_on_schedule() == []
    assert phase_of(scheduled) == Phase.INFORMATION


def test_phase_dates_must_follow_the_order(scheduled, staff_a):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        edition_schedule_set(
            edition=scheduled,
            dates={Phase.VOTING: at(10), Phase.COUNTING: at(5)},
            actor=staff_a,
        )
    assert "must start after the voting phase" in exc.value.message_dict[Phase.COUNTING][0]


def test_a_spike_of_wrong_codes_emails_the_city_staff_once(city_a, staff_a, mailoutbox):
    edition = voting_edition(city_a)
    cache.delete(f"budgeting:spike-alerted:{edition.pk}")
    assert voting_guess_spike_notify(edition.pk, 50) == 1
    assert voting_guess_spike_notify(edition.pk, 80) == 0
    [mail] = mailoutbox
    assert mail.to == [staff_a.email]
    assert "wrong voting codes" in mail.subject
    assert "50 wrong voting codes" in mail.body


class TestVotingCodesCommand:
    def test_it_writes_the_codes_and_keeps_only_hashes(self, city_a, tmp_path):
        zone = ZoneFactory(city=city_a, slug="centro")
        edition = voting_edition(city_a)
        out = tmp_path / "codes.csv"
        call_command(
            "voting_codes_generate",
            edition.pk,
            "--count",
            "25",
            "--zone",
            "centro",
            "-o",
            str(out),
            stderr=io.StringIO(),
        )
        lines = out.read_text().splitlines()
        assert lines[0] == "code"
        assert len(lines) == 26
        assert VotingCode.objects.filter(edition=edition, zone=zone).count() == 25
        stored = "".join(VotingCode.objects.values_list("code_hash", flat=True))
        assert lines[1].replace("-", "") not in stored.upper()
        ballot_cast(edition=edition, code=lines[1], choices=[edition.projects.first().pk])

    def test_it_refuses_an_unknown_zone_and_never_overwrites_a_file(self, city_a, tmp_path):
        edition = voting_edition(city_a)
        with pytest.raises(CommandError, match="no zone with slug 'nowhere'"):
            call_command(
                "voting_codes_generate", edition.pk, "--count", "1", "--zone", "nowhere", "-o", "x"
            )
        out = tmp_path / "codes.csv"
        out.write_text("precious\n")
        with pytest.raises(CommandError, match="never overwritten"):
            call_command("voting_codes_generate", edition.pk, "--count", "1", "-o", str(out))
        assert out.read_text() == "precious\n"
        assert not VotingCode.objects.exists()

    def test_it_refuses_a_bad_count_without_writing_anything(self, city_a, tmp_path):
        edition = voting_edition(city_a)
        out = tmp_path / "codes.csv"
        with pytest.raises(CommandError, match="between 1 and"):
            call_command("voting_codes_generate", edition.pk, "--count", "0", "-o", str(out))
        assert not out.exists()
