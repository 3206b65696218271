"""Generic test cases that give a model its permission and CRUD tests from a few attributes.

In the spirit of NetBox's ViewTestCases/APIViewTestCases. A test class picks the cases it
needs and says who may do what, using the role cast from tests/conftest.py:

    class TestCityAPI(APIViewTestCases.GetObject, APIViewTestCases.UpdateObject):
        model = City
        basename = "city"
        lookup_field = "slug"
        can_view = ALL_ROLES
        can_change = {"superuser", "staff_a"}
        update_data = {"population": 1_200_000}

        def make_object(self, cast):
            return cast_city_a(cast)

Every role not listed gets the refusal a user would see: 404 for an object they may not see,
403 for an action they may not take on one they can see, 401 (API) or a redirect to the login
page (pages) for the anonymous visitor.
"""

import pytest
from django.urls import reverse

from tests.querycount import assert_constant_queries

ALL_ROLES = frozenset(
    {"superuser", "staff_a", "staff_b", "sponsor_a", "citizen", "integrator", "anonymous"}
)
ROLES = sorted(ALL_ROLES)


def _history_user(obj):
    """Who made the latest change, from django-simple-history."""
    return obj.history.order_by("-history_date", "-history_id").first().history_user


class _Base:
    model = None
    basename = None  # router basename, e.g. "city" -> api:city-list
    lookup_field = "pk"
    can_view: frozenset[str] | set[str] = ALL_ROLES
    can_create: set[str] = set()
    can_change: set[str] = set()
    can_delete: set[str] = set()

    def make_object(self, cast):
        """The object the detail, change and delete tests act on."""
        raise AssertionError("set make_object on the test class")

    def lookup(self, obj):
        return getattr(obj, self.lookup_field)


class APIViewTestCases:
    """API cases: list, get, create, update, delete, each checked for every role."""

    class Base(_Base):
        def list_url(self):
            return reverse(f"api:{self.basename}-list")

        def detail_url(self, obj):
            return reverse(f"api:{self.basename}-detail", args=[self.lookup(obj)])

    class ListObjects(Base):
        list_query_count: int = None  # pinned for a list by ``list_query_role``
        list_query_role: str = "anonymous"  # for private rows, a role that sees them

        def add_rows(self, n: int) -> None:
            """Add ``n`` more rows that ``list_query_role`` sees."""
            raise AssertionError("set add_rows on the test class")

        @pytest.mark.parametrize("role", ROLES)
        def test_list_shows_what_each_role_may_see(self, role, cast, api_as):
            obj = self.make_object(cast)
            response = api_as(cast[role]).get(self.list_url())
            assert response.status_code == 200
            assert {"count", "next", "previous", "results"} <= set(response.data)
            found = [row for row in response.data["results"] if row["id"] == obj.pk]
            assert bool(found) == (role in self.can_view)

        def test_list_costs_the_same_queries_for_many_rows(self, cast, api_as):
            self.make_object(cast)
            user = cast[self.list_query_role]
            client = api_as(user)

            def list_rows():
                if user is not None:
                    user.forget_roles()  # each request reads the roles afresh, as in real life
                return client.get(self.list_url())

            assert_constant_queries(list_rows, self.add_rows, expected=self.list_query_count)
            # The rows were listed, so the pin is not the cost of an empty page.
            assert list_rows().data["count"] > 10

    class GetObject(Base):
        @pytest.mark.parametrize("role", ROLES)
        def test_get_answers_each_role(self, role, cast, api_as):
            obj = self.make_object(cast)
            response = api_as(cast[role]).get(self.detail_url(obj))
            if role in self.can_view:
                assert response.status_code == 200
                assert response.data["id"] == obj.pk
            else:
                assert response.status_code == 404
                assert response["Content-Type"].startswith("application/problem+json")

    class CreateObject(Base):
        def create_data(self, cast) -> dict:
            raise AssertionError("set create_data on the test class")

        invalid_create_data: dict = {}
        invalid_fields: set[str] = set()

        @pytest.mark.parametrize("role", ROLES)
        def test_create_answers_each_role(self, role, cast, api_as):
            self.make_object(cast)
            before = self.model.objects.count()
            response = api_as(cast[role]).post(
                self.list_url(), self.create_data(cast), format="json"
            )
            if role in self.can_create:
                assert response.status_code == 201, response.data
                created = self.model.objects.get(pk=response.data["id"])
                assert _history_user(created) == cast[role]
            else:
                assert response.status_code == (401 if role == "anonymous" else 403)
                assert self.model.objects.count() == before

        def test_create_with_bad_input_names_the_fields_and_saves_nothing(self, cast, api_as):
            if not self.invalid_create_data:
                pytest.skip("this model declares no invalid_create_data")
            self.make_object(cast)
            before = self.model.objects.count()
            role = sorted(self.can_create)[0]
            data = {**self.create_data(cast), **self.invalid_create_data}
            response = api_as(cast[role]).post(self.list_url(), data, format="json")
            assert response.status_code == 400
            assert response["Content-Type"].startswith("application/problem+json")
            assert self.invalid_fields <= set(response.data["errors"]), response.data
            assert self.model.objects.count() == before

    class UpdateObject(Base):
        update_data: dict = {}

        @pytest.mark.parametrize("role", ROLES)
        def test_update_answers_each_role(self, role, cast, api_as):
            obj = self.make_object(cast)
            response = api_as(cast[role]).patch(
                self.detail_url(obj), self.update_data, format="json"
            )
            obj.refresh_from_db()
            changed = all(getattr(obj, k) == v for k, v in self.update_data.items())
            if role in self.can_change:
                assert response.status_code == 200, response.data
                assert changed
                assert _history_user(obj) == cast[role]
            else:
                expected = 401 if role == "anonymous" else 403 if role in self.can_view else 404
                assert response.status_code == expected
                assert not changed

    class DeleteObject(Base):
        @pytest.mark.parametrize("role", ROLES)
        def test_delete_answers_each_role(self, role, cast, api_as):
            obj = self.make_object(cast)
            response = api_as(cast[role]).delete(self.detail_url(obj))
            exists = self.model.objects.filter(pk=obj.pk).exists()
            if role in self.can_delete:
                assert response.status_code == 204
                assert not exists
            else:
                expected = 401 if role == "anonymous" else 403 if role in self.can_view else 404
                assert response.status_code == expected
                assert exists


class ViewTestCases:
    """Page cases: list, detail, create, edit, delete and history pages, for every role."""

    class Base(_Base):
        app_label = None  # URL namespace, defaults to the model's app

        def url(self, action: str, obj=None) -> str:
            name = f"{self.app_label or self.model._meta.app_label}:{self.model._meta.model_name}"
            args = [self.lookup(obj)] if obj is not None else []
            return reverse(f"{name}_{action}", args=args)

    class ListView(Base):
        list_query_count: int = None
        # Who looks at the htmx partial and whose page the query count is pinned for: a role
        # that sees rows when the list is private (e.g. "staff_a" for the risk register).
        list_role: str = "anonymous"

        def add_rows(self, n: int) -> None:
            raise AssertionError("set add_rows on the test class")

        @pytest.mark.parametrize("role", ROLES)
        def test_list_page_shows_what_each_role_may_see(self, role, cast, client_as):
            obj = self.make_object(cast)
            response = client_as(cast[role]).get(self.url("list"))
            assert response.status_code == 200
            listed = obj in response.context["object_list"]
            assert listed == (role in self.can_view)

        def test_list_page_answers_htmx_with_the_results_only(self, cast, client_as):
            self.make_object(cast)
            response = client_as(cast[self.list_role]).get(
                self.url("list"), headers={"HX-Request": "true", "HX-Target": "results"}
            )
            assert response.status_code == 200
            assert b"<html" not in response.content
            assert b"<table" in response.content

        def test_list_page_costs_the_same_queries_for_many_rows(self, cast, client_as):
            self.make_object(cast)
            client = client_as(cast[self.list_role])
            assert_constant_queries(
                lambda: client.get(self.url("list")), self.add_rows, expected=self.list_query_count
            )

    class DetailView(Base):
        @pytest.mark.parametrize("role", ROLES)
        def test_detail_page_answers_each_role(self, role, cast, client_as):
            obj = self.make_object(cast)
            response = client_as(cast[role]).get(self.url("detail", obj))
            assert response.status_code == (200 if role in self.can_view else 404)

    class EditView(Base):
        def edit_data(self, obj) -> dict:
            raise AssertionError("set edit_data on the test class")

        invalid_edit_data: dict = {}

        @pytest.mark.parametrize("role", ROLES)
        def test_edit_page_answers_each_role(self, role, cast, client_as):
            obj = self.make_object(cast)
            client = client_as(cast[role])
            response = client.get(self.url("edit", obj))
            if role == "anonymous":
                assert response.status_code == 302
                assert reverse("accounts:login") in response["Location"]
            elif role in self.can_change:
                assert response.status_code == 200
            else:
                assert response.status_code == (403 if role in self.can_view else 404)

        @pytest.mark.parametrize("role", ROLES)
        def test_edit_saves_only_for_those_allowed(self, role, cast, client_as):
            obj = self.make_object(cast)
            data = self.edit_data(obj)
            response = client_as(cast[role]).post(self.url("edit", obj), data)
            obj.refresh_from_db()
            if role in self.can_change:
                assert response.status_code == 302
                assert _history_user(obj) == cast[role]
            else:
                assert response.status_code in (302, 403, 404)
                if response.status_code == 302:
                    assert reverse("accounts:login") in response["Location"]
                assert obj.history.count() == 1  # only its creation

        def test_edit_with_bad_input_shows_field_errors_and_saves_nothing(self, cast, client_as):
            if not self.invalid_edit_data:
                pytest.skip("this model declares no invalid_edit_data")
            obj = self.make_object(cast)
            role = sorted(self.can_change)[0]
            data = {**self.edit_data(obj), **self.invalid_edit_data}
            response = client_as(cast[role]).post(self.url("edit", obj), data)
            assert response.status_code == 400
            form = response.context["form"]
            assert set(self.invalid_edit_data) <= set(form.errors), form.errors
            assert obj.history.count() == 1

    class CreateView(Base):
        """The create page: ``add_<model>`` against the parent the view names."""

        invalid_create_data: dict = {}

        def create_url(self, cast) -> str:
            """Where the form lives (override for objects created under a parent)."""
            return self.url("create")

        def create_data(self, cast) -> dict:
            raise AssertionError("set create_data on the test class")

        create_refusal = 403  # what a logged-in user without the permission gets

        @pytest.mark.parametrize("role", ROLES)
        def test_create_page_answers_each_role(self, role, cast, client_as):
            self.make_object(cast)
            response = client_as(cast[role]).get(self.create_url(cast))
            if role == "anonymous":
                assert response.status_code == 302
                assert reverse("accounts:login") in response["Location"]
            elif role in self.can_create:
                assert response.status_code == 200
                assert b"<form" in response.content
            else:
                assert response.status_code == self.create_refusal

        @pytest.mark.parametrize("role", ROLES)
        def test_create_saves_only_for_those_allowed(self, role, cast, client_as):
            self.make_object(cast)
            before = set(self.model.objects.values_list("pk", flat=True))
            response = client_as(cast[role]).post(self.create_url(cast), self.create_data(cast))
            new = self.model.objects.exclude(pk__in=before)
            if role in self.can_create:
                assert response.status_code == 302, response.content[:3000]
                created = new.get()
                assert _history_user(created) == cast[role]
            else:
                assert response.status_code in (302, 403, 404)
                if response.status_code == 302:
                    assert reverse("accounts:login") in response["Location"]
                assert not new.exists()

        def test_create_with_bad_input_shows_field_errors_and_saves_nothing(self, cast, client_as):
            if not self.invalid_create_data:
                pytest.skip("this model declares no invalid_create_data")
            self.make_object(cast)
            before = self.model.objects.count()
            role = sorted(self.can_create)[0]
            data = {**self.create_data(cast), **self.invalid_create_data}
            response = client_as(cast[role]).post(self.create_url(cast), data)
            assert response.status_code == 400
            form = response.context["form"]
            assert set(self.invalid_create_data) <= set(form.errors), form.errors
            assert self.model.objects.count() == before

    class DeleteView(Base):
        """The delete page: a confirmation on GET, the delete service on POST."""

        @pytest.mark.parametrize("role", ROLES)
        def test_delete_page_answers_each_role(self, role, cast, client_as):
            obj = self.make_object(cast)
            response = client_as(cast[role]).get(self.url("delete", obj))
            if role == "anonymous":
                assert response.status_code == 302
                assert reverse("accounts:login") in response["Location"]
            elif role in self.can_delete:
                assert response.status_code == 200
                assert b'method="post"' in response.content
            else:
                assert response.status_code == (403 if role in self.can_view else 404)

        @pytest.mark.parametrize("role", ROLES)
        def test_delete_removes_only_for_those_allowed(self, role, cast, client_as):
            obj = self.make_object(cast)
            response = client_as(cast[role]).post(self.url("delete", obj))
            exists = self.model.objects.filter(pk=obj.pk).exists()
            if role in self.can_delete:
                assert response.status_code == 302
                assert not exists
                deleted = obj.history.order_by("-history_date", "-history_id").first()
                assert deleted.history_type == "-"
                assert deleted.history_user == cast[role]
            else:
                assert response.status_code in (302, 403, 404)
                assert exists

    class HistoryView(Base):
        """The history page: readable by those who may change the object (by default)."""

        can_view_history: set[str] = set()

        @pytest.mark.parametrize("role", ROLES)
        def test_history_page_answers_each_role(self, role, cast, client_as):
            obj = self.make_object(cast)
            response = client_as(cast[role]).get(self.url("history", obj))
            if role == "anonymous":
                assert response.status_code == 302
                assert reverse("accounts:login") in response["Location"]
            elif role in self.can_view_history:
                assert response.status_code == 200
                assert response.context["entries"]
            else:
                assert response.status_code == (403 if role in self.can_view else 404)

        @pytest.mark.parametrize("role", ROLES)
        def test_detail_page_links_the_history_only_for_those_allowed(self, role, cast, client_as):
            obj = self.make_object(cast)
            response = client_as(cast[role]).get(self.url("detail", obj))
            if role not in self.can_view:
                assert response.status_code == 404
                return
            linked = self.url("history", obj).encode() in response.content
            assert linked == (role in self.can_view_history)
