"""The admin's side of the ground floor's mechanisms, for every app's admin: the
lock (sodertorn/lock.py) shown as read-only forms with the lock's message, and
records that only a workflow writes."""
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect

from .lock import ALWAYS_FREE, Lockable, lock_hit


class LockedAdminMixin:
    """The admin face of the lock (plans/lock.py), for model admins and inlines of
    parts of a plan: a part of a decided plan is read-only except for the fields
    that stay editable (an activity's follow-up, a budget line's outcome); nothing
    can be added to or deleted from it. For an inline, `obj` is the parent (the
    plan, the budget, the area). The model layer refuses whatever gets past this;
    its Swedish message is shown on the form, and bulk actions it refuses come back
    as an error message instead of a server error."""

    @staticmethod
    def _locked(obj) -> bool:
        if not isinstance(obj, Lockable) or obj.pk is None:
            return False
        if not hasattr(obj, "_admin_locked"):  # several permission checks per page
            obj._admin_locked = obj.is_locked
        return obj._admin_locked

    def _free_fields(self) -> set:
        return self.model.free_fields() - ALWAYS_FREE if issubclass(self.model, Lockable) else set()

    def has_add_permission(self, request, obj=None):
        if self._locked(obj):
            return False
        if isinstance(self, admin.options.InlineModelAdmin):
            return super().has_add_permission(request, obj)
        return super().has_add_permission(request)

    # A model admin whose inline rows keep editable fields (the budget and its
    # lines' outcomes) stays open, with its own fields read-only.
    locked_inlines_editable = False

    def has_change_permission(self, request, obj=None):
        if self._locked(obj) and not (self._free_fields() or self.locked_inlines_editable):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_delete_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if self._locked(obj):
            free = self._free_fields()
            if self.fieldsets:
                fields = flatten_fieldsets(self.fieldsets)
            elif self.fields:
                fields = flatten_fieldsets([(None, {"fields": self.fields})])
            else:  # get_fields() would ask for the read-only fields again
                fields = [f.name for f in self.model._meta.get_fields()
                          if getattr(f, "editable", False) and not f.auto_created
                          and (f.concrete or f.many_to_many)]  # not reverse relations (ManyToManyRel)
            free.add("loaded_version")  # the version check stays on the fields still editable
            readonly += [f for f in fields if f not in free and f not in readonly]
        return readonly

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if object_id and request.method == "GET" and not isinstance(self, admin.options.InlineModelAdmin):
            obj = self.get_object(request, object_id)
            if self._locked(obj):  # say why the page is read-only
                hit = obj._saved_lock_hit()
                if hit:
                    self.message_user(request, hit.error().messages[0], level=messages.WARNING)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def get_deleted_objects(self, objs, request):
        # The bulk delete action: say why, instead of a bare "permission denied".
        if hasattr(objs, "filter"):
            hit = lock_hit(objs)
            if hit:
                raise hit.error()
        return super().get_deleted_objects(objs, request)

    def response_action(self, request, queryset):
        try:
            with transaction.atomic():
                return super().response_action(request, queryset)
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), level=messages.ERROR)
            return redirect(request.get_full_path())


class ReadOnlyRecordAdmin(admin.ModelAdmin):
    """Records of decisions are written by the decision flow, never by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
