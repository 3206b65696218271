"""Fill the database with demo data from the source documents; safe to run again."""

import os

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.choices import Role
from accounts.models import ApiToken, User
from accounts.services import role_grant, token_create, token_revoke, user_create
from budgeting import demo as budgeting_demo
from budgeting.choices import Phase
from budgeting.models import BudgetEdition
from budgeting.services import voting_codes_generate
from cities import demo as cities_demo
from cities.models import City
from partnerships import demo as partnerships_demo
from partnerships.models import Partner, Partnership

DEMO_PASSWORD = "juntos-demo"  # noqa: S105 (printed for the demo on purpose)
DEMO_TOKEN_NAME = "demo integration"  # noqa: S105

# (email, full name, role, slug of the city the role is scoped to)
DEMO_USERS = [
    ("admin@juntos.example.org", "Ana Admin", Role.PLATFORM_ADMIN, None),
    ("staff.campinas@juntos.example.org", "Carlos Campinas", Role.CITY_STAFF, "campinas"),
    ("staff.lamarsa@juntos.example.org", "Amira Marsa", Role.CITY_STAFF, "la-marsa"),
    ("sponsor@juntos.example.org", "Sofia Sponsor", Role.SPONSOR, "campinas"),
    ("citizen@juntos.example.org", "Cida Cidadã", Role.CITIZEN, None),
    ("integrator@juntos.example.org", "Ivo Integrator", Role.INTEGRATOR, None),
]


class Command(BaseCommand):
    help = (
        "Load demo cities, partnerships, participatory budgets and one account per role. "
        "Idempotent."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        admin = self._user("admin@juntos.example.org", "Ana Admin", superuser=True, actor=None)
        created = cities_demo.load(actor=admin)
        count = City.objects.count()
        self.stdout.write(
            f"Cities: {count} ({created['cities']} new, {created['zones']} new zones)"
        )
        new = partnerships_demo.load(actor=admin)
        self.stdout.write(
            f"Partners: {Partner.objects.count()} ({new['partners']} new); "
            f"partnerships: {Partnership.objects.count()} ({new['partnerships']} new)"
        )

        self.stdout.write(f"\nDemo accounts (password for all: {DEMO_PASSWORD})")
        for email, name, role, city_slug in DEMO_USERS:
            user = self._user(email, name, superuser=role == Role.PLATFORM_ADMIN, actor=admin)
            scope = City.objects.get(slug=city_slug) if city_slug else None
            role_grant(user=user, role=role, scope=scope, actor=admin)
            where = f" of {scope.name}" if scope else ""
            self.stdout.write(f"  {Role(role).label:<24} {email}{where}")

        new = budgeting_demo.load(actor=admin)
        self.stdout.write(
            f"\nParticipatory budgets: {BudgetEdition.objects.count()} editions "
            f"({new['editions']} new, {new['ballots']} new ballots)"
        )
        for edition in BudgetEdition.objects.filter(phase=Phase.VOTING).select_related("city"):
            codes = voting_codes_generate(edition=edition, count=3, label="demo", actor=admin)
            self.stdout.write(
                f"  Voting open in {edition.city}, “{edition}”: try one of these new codes "
                f"at /budgets/{edition.pk}/vote/: {', '.join(codes)}"
            )

        integrator = User.objects.get(email="integrator@juntos.example.org")
        for old in ApiToken.objects.filter(user=integrator, name=DEMO_TOKEN_NAME, revoked_at=None):
            token_revoke(token=old, actor=admin)
        _token, key = token_create(user=integrator, name=DEMO_TOKEN_NAME, actor=integrator)
        self.stdout.write(f"\nIntegrator API token (new on every run): {key}")
        port = os.environ.get("PORT", "8000")
        self.stdout.write(
            f'Try: curl -H "Authorization: Token {key}" http://127.0.0.1:{port}/api/v1/me/'
        )

    def _user(self, email: str, name: str, *, superuser: bool, actor) -> User:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = user_create(
                email=email,
                password=DEMO_PASSWORD,
                full_name=name,
                actor=actor,
                is_staff=superuser,
                is_superuser=superuser,
            )
        return user
