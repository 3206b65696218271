"""Ballot secrecy: who voted and what was chosen are stored with nothing linking them."""

import uuid

import pytest
from django.db import connection, models

from budgeting.models import Ballot, BallotLogEntry, Participation
from budgeting.selectors import anonymised_ballots_export, ballot_log_export
from budgeting.services import ballot_cast
from tests.budgeting.factories import codes_for, voting_edition

pytestmark = pytest.mark.django_db


def concrete_fields(model):
    return {f.name: f for f in model._meta.get_fields() if f.concrete}


def test_no_relation_leads_from_a_participation_to_a_ballot_or_back():
    for model, other in ((Participation, Ballot), (Ballot, Participation)):
        for field in model._meta.get_fields():
            if field.is_relation:
                assert field.related_model not in (other, BallotLogEntry), field


def test_the_database_has_no_foreign_key_between_them():
    with connection.cursor() as cursor:
        for model in (Participation, Ballot):
            constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
            targets = {c["foreign_key"][0] for c in constraints.values() if c["foreign_key"]}
            assert Participation._meta.db_table not in targets
            assert Ballot._meta.db_table not in targets


def test_the_only_columns_they_share_are_aggregate_dimensions():
    shared = set(concrete_fields(Participation)) & set(concrete_fields(Ballot))
    assert shared == {"id", "edition", "zone", "channel"}


def test_neither_has_a_timestamp_or_a_sequence_that_could_pair_them():
    for model in (Participation, Ballot):
        for field in concrete_fields(model).values():
            assert not isinstance(field, (models.DateField, models.AutoField)), field
        pk = model._meta.pk
        assert isinstance(pk, models.UUIDField)
        assert pk.default is uuid.uuid4


def test_anonymised_ballots_are_not_published_in_the_order_they_were_cast(city_a):
    edition = voting_edition(city_a, projects=3)
    projects = list(edition.projects.values_list("pk", flat=True))
    for code in codes_for(edition, 40):
        ballot_cast(edition=edition, code=code, choices=projects[:1])
    log_order = [e["fingerprint"] for e in ballot_log_export(edition=edition)["entries"]]
    published = [b["fingerprint"] for b in anonymised_ballots_export(edition=edition)["ballots"]]
    assert sorted(log_order) == sorted(published)
    assert published == sorted(published)  # by fingerprint: a random order
    assert published != log_order


def test_the_published_ballots_name_no_voter(city_a):
    edition = voting_edition(city_a)
    [code] = codes_for(edition)
    ballot_cast(edition=edition, code=code, choices=[edition.projects.first().pk])
    [ballot] = anonymised_ballots_export(edition=edition)["ballots"]
    assert set(ballot) == {"fingerprint", "salt", "channel", "zone", "choices"}
    voter_key = Participation.objects.get().voter_key
    assert voter_key not in str(ballot)
