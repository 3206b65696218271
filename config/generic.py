"""Generic page views every listed model reuses: one FilterSet, one queryset, one template.

A list page filters with the model's FilterSet (the same one the API uses), paginates, and
answers htmx requests with just the results partial, so filtering and paging swap the table
without a full reload and still work as plain links and forms without JavaScript.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import TemplateView


class ObjectListView(TemplateView):
    """Filtered, sorted, paginated list of the objects the user may see."""

    model = None
    filterset_class = None
    template_name = "generic/object_list.html"
    results_template_name = (
        None  # the partial with the table, e.g. "cities/partials/_city_table.html"
    )
    paginate_by = 25
    max_paginate_by = 200
    title = None

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

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = self.filterset_class(
            self.request.GET or None, queryset=self.get_queryset(), request=self.request
        )
        if hasattr(filterset, "for_page"):
            filterset.for_page()
        queryset = (
            filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
        )
        page = Paginator(queryset, self.get_page_size()).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            filterset=filterset,
            page_obj=page,
            object_list=page.object_list,
            querystring=query.urlencode(),
            results_template_name=self.results_template_name,
            title=self.title or self.model._meta.verbose_name_plural,
            model_opts=self.model._meta,
        )
        return context


class ObjectDetailView(TemplateView):
    """One object the user may see: 404 when it is hidden from them, 403 when not allowed."""

    model = None
    slug_field = "slug"
    permission = None  # defaults to "<app>.view_<model>"

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user)

    def get_object(self):
        lookup = {self.slug_field: self.kwargs.get("slug", self.kwargs.get("pk"))}
        obj = self.get_queryset().filter(**lookup).first()
        if obj is None:
            raise Http404
        opts = self.model._meta
        perm = self.permission or f"{opts.app_label}.view_{opts.model_name}"
        if not self.request.user.has_perm(perm, obj):
            raise PermissionDenied
        return obj

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.object = self.get_object()
        return context


class ObjectEditView(ObjectDetailView):
    """Change one object through its form and its update service.

    The form only parses input; ``update_service(<model_name>=obj, data=..., actor=user)``
    validates against the model and saves, and its field errors come back onto the form.
    """

    form_class = None
    update_service = None
    template_name = "generic/object_edit.html"
    success_message = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)

    def get_object(self):
        obj = super().get_object()
        opts = self.model._meta
        if not self.request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}", obj):
            raise PermissionDenied
        return obj

    def get(self, request, *args, **kwargs):
        obj = self.get_object()
        return self.render_to_response(self._context(obj, self.form_class(instance=obj)))

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        form = self.form_class(request.POST, instance=obj)
        if form.is_valid():
            try:
                obj = type(self).update_service(
                    **{self.model._meta.model_name: obj},
                    data=form.cleaned_data,
                    actor=request.user,
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                if self.success_message:
                    messages.success(request, self.success_message)
                return redirect(obj.get_absolute_url())
        return self.render_to_response(self._context(obj, form), status=400)

    def _context(self, obj, form) -> dict:
        return {"object": obj, "form": form, "view": self, "model_opts": self.model._meta}
