"""Generic page views every listed model reuses: one FilterSet, one queryset, one template.

A list page filters with the model's FilterSet (the same one the API uses), paginates, and
answers htmx requests with just the results partial, so filtering and paging swap the table
without a full reload and still work as plain links and forms without JavaScript. The same
filtered list downloads as CSV with ``?export=csv``.

Detail, create, edit, delete and history pages share one set of answers: an object the user
may not see is 404, an action they may not take on one they can see is 403, and the anonymous
visitor is sent to the login page for anything that needs an account. Pages never save
anything themselves: forms parse, the app's services validate and write, and a service's
``ValidationError`` comes back onto the form field by field.

The views for one model are named by URL ``<app>:<model>_<action>`` (list, detail, create,
edit, delete, history); the detail page links to the others when the user may use them.
"""

import csv
import datetime
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

# --- helpers ------------------------------------------------------------------------------


def permission_name(model: type[models.Model], action: str) -> str:
    """``<app>.<action>_<model>``, the django-rules permission for ``action`` on ``model``."""
    opts = model._meta
    return f"{opts.app_label}.{action}_{opts.model_name}"


def url_for(
    model: type[models.Model], action: str, obj: models.Model | None = None, *, lookup: str = "slug"
) -> str | None:
    """The URL ``<app>:<model>_<action>`` (for ``obj`` by ``lookup``), or None if not routed."""
    opts = model._meta
    args = [] if obj is None else [getattr(obj, lookup, None) or obj.pk]
    try:
        return reverse(f"{opts.app_label}:{opts.model_name}_{action}", args=args)
    except NoReverseMatch:
        return None


def errors_onto_form(form, exc: ValidationError) -> None:
    """Put a service's ``ValidationError`` onto ``form``: per field where it has the field."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


# --- CSV ----------------------------------------------------------------------------------


class _Echo:
    """A file-like object whose write() hands back the line, for streaming csv.writer."""

    def write(self, value: str) -> str:
        return value


def csv_cell(value) -> str:
    """One value as spreadsheet-safe text (no formula injection, ISO dates, plain numbers)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, (int, float, Decimal)):
        return str(value)
    if isinstance(value, models.Manager):
        return ", ".join(str(item) for item in value.all())
    text = str(value)
    # A cell a spreadsheet would run as a formula gets a leading apostrophe.
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        text = "'" + text
    return text


def resolve_accessor(obj, accessor: str | Callable):
    """``accessor`` is a callable taking the row, or a dotted attribute path ("partner.name");
    a method at the end of the path is called (``get_status_display``)."""
    if callable(accessor):
        return accessor(obj)
    value = obj
    for part in accessor.split("."):
        if value is None:
            return None
        value = getattr(value, part)
    if callable(value) and not isinstance(value, models.Manager):
        value = value()
    return value


def stream_csv(
    rows: Iterable, columns: list[tuple[str, str | Callable]], filename: str
) -> StreamingHttpResponse:
    """A streamed UTF-8 CSV download (with a BOM so spreadsheets read accents correctly)."""
    writer = csv.writer(_Echo())
    header = [str(title) for title, _accessor in columns]  # translated now, in the request

    def lines() -> Iterator[str]:
        yield "\ufeff" + writer.writerow(header)
        for row in rows:
            yield writer.writerow([csv_cell(resolve_accessor(row, a)) for _t, a in columns])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- list ---------------------------------------------------------------------------------


class ObjectListView(TemplateView):
    """Filtered, sorted, paginated list of the objects the user may see.

    ``csv_columns = [(gettext_lazy("Name"), "name"), (_("City"), "city.name"), ...]`` turns on
    ``?export=csv``: the whole filtered list (every page) as CSV, same queryset, same scope.
    Put ``{% include "generic/_csv_link.html" %}`` in the results partial for the link.
    """

    model = None
    filterset_class = None
    template_name = "generic/object_list.html"
    results_template_name = (
        None  # the partial with the table, e.g. "cities/partials/_city_table.html"
    )
    paginate_by = 25
    max_paginate_by = 200
    title = None
    csv_columns: list[tuple[str, str | Callable]] | None = None
    csv_filename: str | None = None  # defaults to "<plural-name>-<date>.csv"
    csv_chunk_size = 2000

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user)

    def get_page_size(self) -> int:
        try:
            size = int(self.request.GET.get("per_page", self.paginate_by))
        except ValueError:
            size = self.paginate_by
        return max(1, min(size, self.max_paginate_by))

    def get_template_names(self) -> list[str]:
        if getattr(self.request, "htmx", False) and self.request.htmx.target == "results":
            return [self.results_template_name]
        return [self.template_name]

    def get_filterset(self, *, for_page: bool = True):
        filterset = self.filterset_class(
            self.request.GET or None, queryset=self.get_queryset(), request=self.request
        )
        if for_page and hasattr(filterset, "for_page"):
            filterset.for_page()
        return filterset

    @staticmethod
    def filtered(filterset):
        """The filtered queryset, or the unfiltered one when the filters do not validate."""
        return filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset

    def get(self, request, *args, **kwargs):
        if self.csv_columns and request.GET.get("export") == "csv":
            return self.export_csv()
        return super().get(request, *args, **kwargs)

    def get_csv_filename(self) -> str:
        if self.csv_filename:
            return self.csv_filename
        name = slugify(str(self.title or self.model._meta.verbose_name_plural)) or "export"
        return f"{name}-{timezone.localdate().isoformat()}.csv"

    def export_csv(self) -> StreamingHttpResponse:
        queryset = self.filtered(self.get_filterset(for_page=False))
        return stream_csv(
            queryset.iterator(chunk_size=self.csv_chunk_size),
            self.csv_columns,
            self.get_csv_filename(),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = self.get_filterset()
        queryset = self.filtered(filterset)
        page = Paginator(queryset, self.get_page_size()).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        query.pop("export", None)
        csv_query = query.copy()
        csv_query["export"] = "csv"
        context.update(
            filterset=filterset,
            page_obj=page,
            object_list=page.object_list,
            querystring=query.urlencode(),
            csv_url=f"{self.request.path}?{csv_query.urlencode()}" if self.csv_columns else None,
            results_template_name=self.results_template_name,
            title=self.title or self.model._meta.verbose_name_plural,
            model_opts=self.model._meta,
        )
        return context


# --- one object ---------------------------------------------------------------------------


class ObjectDetailView(TemplateView):
    """One object the user may see: 404 when it is hidden from them, 403 when not allowed.

    The context has ``can_change``/``can_delete`` and ``edit_url``/``delete_url``/
    ``history_url`` (None when the user may not, or the model has no such page).
    """

    model = None
    slug_field = "slug"
    permission = None  # defaults to "<app>.view_<model>"
    history_permission = None  # defaults to "<app>.change_<model>" (see ObjectHistoryView)

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user)

    def get_object(self):
        lookup = {self.slug_field: self.kwargs.get("slug", self.kwargs.get("pk"))}
        obj = self.get_queryset().filter(**lookup).first()
        if obj is None:
            raise Http404
        if not self.request.user.has_perm(
            self.permission or permission_name(self.model, "view"), obj
        ):
            raise PermissionDenied
        return obj

    def object_links(self, obj) -> dict:
        """Whether the user may change/delete ``obj`` or read its history, and the URLs."""
        user = self.request.user
        can_change = user.has_perm(permission_name(self.model, "change"), obj)
        can_delete = user.has_perm(permission_name(self.model, "delete"), obj)
        can_history = user.has_perm(
            self.history_permission or permission_name(self.model, "change"), obj
        )

        def link(action, allowed):
            return url_for(self.model, action, obj, lookup=self.slug_field) if allowed else None

        return {
            "can_change": can_change,
            "can_delete": can_delete,
            "edit_url": link("edit", can_change),
            "delete_url": link("delete", can_delete),
            "history_url": link("history", can_history),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.object = self.get_object()
        context["model_opts"] = self.model._meta
        context.update(self.object_links(self.object))
        return context


class LoginRequiredMixin:
    """The anonymous visitor goes to the login page and comes back here afterwards."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)


class _ObjectActionView(LoginRequiredMixin, ObjectDetailView):
    """A page acting on one object: 404 if hidden, 403 without ``action_permission``."""

    action = None  # "change", "delete"...
    action_permission = None  # defaults to "<app>.<action>_<model>"

    def get_object(self):
        obj = super().get_object()
        perm = self.action_permission or permission_name(self.model, self.action)
        if not self.request.user.has_perm(perm, obj):
            raise PermissionDenied
        return obj


class ObjectEditView(_ObjectActionView):
    """Change one object through its form and its update service.

    The form only parses input; ``update_service(<model_name>=obj, data=..., actor=user)``
    validates against the model and saves, and its field errors come back onto the form.
    """

    action = "change"
    form_class = None
    update_service = None
    template_name = "generic/object_edit.html"
    success_message = None

    def get_form(self, obj, data=None):
        return self.form_class(data, instance=obj)

    def get_update_data(self, form) -> dict:
        return form.cleaned_data

    def get(self, request, *args, **kwargs):
        obj = self.get_object()
        return self.render_to_response(self._context(obj, self.get_form(obj)))

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        form = self.get_form(obj, request.POST)
        if form.is_valid():
            try:
                obj = type(self).update_service(
                    **{self.model._meta.model_name: obj},
                    data=self.get_update_data(form),
                    actor=request.user,
                )
            except ValidationError as exc:
                errors_onto_form(form, exc)
            else:
                if self.success_message:
                    messages.success(request, self.success_message)
                return redirect(self.get_success_url(obj))
        return self.render_to_response(self._context(obj, form), status=400)

    def get_success_url(self, obj) -> str:
        return obj.get_absolute_url()

    def _context(self, obj, form) -> dict:
        return {"object": obj, "form": form, "view": self, "model_opts": self.model._meta}


class ObjectCreateView(LoginRequiredMixin, TemplateView):
    """Create an object through its form and its create service.

    ``<app>.add_<model>`` is checked against ``get_parent()`` (the partnership a contribution
    belongs to, the city a partnership is for), or against nothing when it returns None. A
    subclass's ``get_parent()`` raises 404 for a parent the user may not see. The form parses;
    ``create_service(**get_service_kwargs(form), actor=user)`` validates and saves (the parent
    is passed as ``parent_kwarg`` when set); its field errors come back onto the form with 400.
    """

    model = None
    form_class = None
    create_service = None
    parent_kwarg = None  # e.g. "partnership": the service's keyword for the parent
    template_name = "generic/object_create.html"
    success_message = None
    title = None

    def get_parent(self):
        return None

    def check_permission(self, parent) -> None:
        perm = permission_name(self.model, "add")
        allowed = (
            self.request.user.has_perm(perm, parent)
            if parent is not None
            else self.request.user.has_perm(perm)
        )
        if not allowed:
            raise PermissionDenied

    def get_form_kwargs(self) -> dict:
        return {}

    def get_form(self, data=None):
        return self.form_class(data, **self.get_form_kwargs())

    def get_service_kwargs(self, form) -> dict:
        kwargs = dict(form.cleaned_data)
        if self.parent_kwarg:
            kwargs[self.parent_kwarg] = self.parent
        return kwargs

    def get_success_url(self, obj) -> str:
        return obj.get_absolute_url()

    def get(self, request, *args, **kwargs):
        self.parent = self.get_parent()
        self.check_permission(self.parent)
        return self.render_to_response(self._context(self.get_form()))

    def post(self, request, *args, **kwargs):
        self.parent = self.get_parent()
        self.check_permission(self.parent)
        form = self.get_form(request.POST)
        if form.is_valid():
            try:
                obj = type(self).create_service(**self.get_service_kwargs(form), actor=request.user)
            except ValidationError as exc:
                errors_onto_form(form, exc)
            else:
                if self.success_message:
                    messages.success(request, self.success_message)
                return redirect(self.get_success_url(obj))
        return self.render_to_response(self._context(form), status=400)

    def get_cancel_url(self) -> str:
        if self.parent is not None and hasattr(self.parent, "get_absolute_url"):
            return self.parent.get_absolute_url()
        return url_for(self.model, "list") or "/"

    def _context(self, form) -> dict:
        return {
            "form": form,
            "parent": self.parent,
            "view": self,
            "model_opts": self.model._meta,
            "title": self.title or _("New %(model)s") % {"model": self.model._meta.verbose_name},
            "cancel_url": self.get_cancel_url(),
        }


class ObjectDeleteView(_ObjectActionView):
    """Delete one object: a confirmation page on GET, ``delete_service`` on POST.

    A ``ValidationError`` from the service (e.g. the object is still in use) shows as an error
    message on the object's page and nothing is deleted.
    """

    action = "delete"
    delete_service = None
    template_name = "generic/object_delete.html"
    success_message = None
    success_url = None  # defaults to the model's list page

    def get_success_url(self, obj) -> str:
        return self.success_url or url_for(self.model, "list") or "/"

    def get(self, request, *args, **kwargs):
        obj = self.get_object()
        return self.render_to_response(
            {"object": obj, "view": self, "model_opts": self.model._meta}
        )

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        success_url = self.get_success_url(obj)  # before the object is gone
        try:
            type(self).delete_service(**{self.model._meta.model_name: obj}, actor=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect(obj.get_absolute_url())
        messages.success(
            request,
            self.success_message or _("%(name)s was deleted.") % {"name": str(obj)},
        )
        return redirect(success_url)


class ObjectHistoryView(_ObjectActionView):
    """Who changed what and when: the object's django-simple-history records, newest first.

    Readable with ``history_permission`` (default ``<app>.change_<model>``: whoever may edit
    the object may read its audit trail). Each entry lists the fields that changed with their
    old and new values; foreign keys are named (one query per related model, not per entry).
    """

    template_name = "generic/object_history.html"
    max_entries = 100

    def get_object(self):
        self.action_permission = self.history_permission or permission_name(self.model, "change")
        return super().get_object()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        records = list(
            self.object.history.select_related("history_user").order_by(
                "-history_date", "-history_id"
            )[: self.max_entries + 1]
        )
        context["entries"] = self.entries(records)
        context["truncated"] = len(records) > self.max_entries
        return context

    def entries(self, records: list) -> list[dict]:
        shown = records[: self.max_entries]
        changes_per_entry = []
        wanted: dict[type[models.Model], set] = {}
        for index, record in enumerate(shown):
            older = records[index + 1] if index + 1 < len(records) else None
            if older is None or record.history_type == "+":
                changes = []
            else:
                changes = [
                    (self.model._meta.get_field(c.field), c.old, c.new)
                    for c in record.diff_against(older).changes
                ]
            for field, old, new in changes:
                if field.is_relation and field.many_to_one:
                    wanted.setdefault(field.related_model, set()).update(
                        v for v in (old, new) if v is not None
                    )
            changes_per_entry.append(changes)
        names = {
            model: {pk: str(obj) for pk, obj in model._default_manager.in_bulk(ids).items()}
            for model, ids in wanted.items()
        }
        labels = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}
        return [
            {
                "date": record.history_date,
                "user": record.history_user,
                "action": labels.get(record.history_type, record.history_type),
                "changes": [
                    {
                        "field": field.verbose_name,
                        "old": self.display(field, old, names),
                        "new": self.display(field, new, names),
                    }
                    for field, old, new in changes
                ],
            }
            for record, changes in zip(shown, changes_per_entry, strict=True)
        ]

    @staticmethod
    def display(field, value, names) -> str:
        if value is None or value == "":
            return "—"
        if field.is_relation and field.many_to_one:
            return names.get(field.related_model, {}).get(value, f"#{value}")
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(value, bool):
            return str(_("yes") if value else _("no"))
        return str(value)
