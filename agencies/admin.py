"""Admin for agencies, offices, routing and clients. Secrets and tokens are never shown.

Every change made here is also written to the hash-chained audit log (``<type>.admin_created``,
``<type>.admin_changed`` one row per changed field, ``<type>.admin_deleted``), naming the staff user as the
actor (``client_id`` ``admin:<username>``): Django's own ``LogEntry`` is an ordinary, editable table.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from oauth2_provider.models import get_access_token_model, get_grant_model, get_id_token_model, get_refresh_token_model

from agencies.jwks import jwks_cached, jwks_summary
from agencies.models import Agency, Client, Office, Route
from agencies.selectors import agency_code_in_use
from agencies.services import client_revoke, client_rotate_secret
from audit.context import admin_audit_context
from audit.services import audit_record_many

# django-oauth-toolkit registers admin pages that list token values and a form that edits secrets: remove them.
for model in (get_access_token_model(), get_refresh_token_model(), get_grant_model(), get_id_token_model()):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
if admin.site.is_registered(Client):
    admin.site.unregister(Client)


def _admin_audit(request, *, action: str, object_type: str, object_id: str, agency_code: str | None, reasons):
    reasons = list(reasons) or [None]
    context = admin_audit_context(request)
    for reason in reasons:
        audit_record_many(
            action=action,
            object_type=object_type,
            object_ids=[object_id],
            context=context,
            agency_code=agency_code,
            reason=reason,
        )


def _field_reasons(form) -> list[str]:
    # Field names are code, never values: the values stay in the database (and, for scopes, in the row itself).
    return [f"field:{name}"[:64] for name in sorted(getattr(form, "changed_data", []) or [])]


class AuditedAdmin(admin.ModelAdmin):
    """Write every add, change and delete of this model to the audit log, in the admin's own transaction."""

    audit_object_type = ""

    def audit_identity(self, obj) -> tuple[str, str | None]:
        """(object id, agency code) of ``obj`` for the audit row."""
        raise NotImplementedError

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        object_id, agency_code = self.audit_identity(obj)
        _admin_audit(
            request,
            action=f"{self.audit_object_type}.admin_{'changed' if change else 'created'}",
            object_type=self.audit_object_type,
            object_id=object_id,
            agency_code=agency_code,
            reasons=_field_reasons(form) if change else [],
        )

    def delete_model(self, request, obj):
        object_id, agency_code = self.audit_identity(obj)
        super().delete_model(request, obj)
        _admin_audit(
            request,
            action=f"{self.audit_object_type}.admin_deleted",
            object_type=self.audit_object_type,
            object_id=object_id,
            agency_code=agency_code,
            reasons=[],
        )

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class OfficeInline(admin.TabularInline):
    model = Office
    extra = 0


@admin.register(Agency)
class AgencyAdmin(AuditedAdmin):
    list_display = ("code", "name", "active", "may_receive_1367_protected")
    list_filter = ("active", "may_receive_1367_protected")
    search_fields = ("code", "name")
    inlines = [OfficeInline]
    audit_object_type = "agency"

    def audit_identity(self, obj):
        return obj.code, obj.code

    def get_readonly_fields(self, request, obj=None):
        # The event feed, webhooks, audit rows and references key on the code: once anything refers to the
        # agency, its code is fixed.
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and agency_code_in_use(obj):
            readonly.append("code")
        return readonly

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        agency = form.instance
        for office in formset.new_objects:
            _admin_audit(
                request,
                action="office.admin_created",
                object_type="office",
                object_id=f"{agency.code}/{office.code}",
                agency_code=agency.code,
                reasons=[],
            )
        for office, fields in formset.changed_objects:
            _admin_audit(
                request,
                action="office.admin_changed",
                object_type="office",
                object_id=f"{agency.code}/{office.code}",
                agency_code=agency.code,
                reasons=[f"field:{name}"[:64] for name in sorted(fields)],
            )
        for office in formset.deleted_objects:
            _admin_audit(
                request,
                action="office.admin_deleted",
                object_type="office",
                object_id=f"{agency.code}/{office.code}",
                agency_code=agency.code,
                reasons=[],
            )


@admin.register(Route)
class RouteAdmin(AuditedAdmin):
    list_display = ("referral_type", "agency", "active")
    list_filter = ("referral_type", "agency", "active")
    audit_object_type = "route"

    def audit_identity(self, obj):
        return f"{obj.referral_type}:{obj.agency.code}", obj.agency.code


@admin.register(Client)
class ClientAdmin(AuditedAdmin):
    """Clients are created from the command line (the secret is printed once); here they are reviewed,
    rotated and revoked."""

    list_display = (
        "name",
        "client_id",
        "agency",
        "allowed_scopes",
        "token_endpoint_auth_method",
        "active",
        "last_token_at",
    )
    list_filter = ("agency", "active", "is_operator")
    search_fields = ("name", "client_id")
    fields = (
        "name",
        "client_id",
        "agency",
        "allowed_scopes",
        "is_operator",
        "active",
        "token_endpoint_auth_method",
        "jwks_uri",
        "signing_keys",
        "last_token_at",
        "created",
    )
    readonly_fields = (
        "client_id",
        "agency",
        "is_operator",
        "token_endpoint_auth_method",
        "jwks_uri",
        "signing_keys",
        "last_token_at",
        "created",
    )
    actions = ["rotate_secret", "revoke"]
    audit_object_type = "client"

    def audit_identity(self, obj):
        return obj.client_id, obj.agency.code

    def has_add_permission(self, request):
        return False

    @admin.display(description="Signing keys (kid, type, algorithm)")
    def signing_keys(self, obj):
        """Key ids and algorithms only: never key material (a submitted set; a URL's keys are fetched)."""
        if not obj.uses_private_key_jwt:
            return "- (authenticates with a client secret)"
        keys = jwks_cached(obj) if obj.jwks_uri else obj.jwks
        if obj.jwks_uri and keys is None:
            return "not fetched yet (fetched from the JWK Set URL when a client assertion arrives)"
        return "; ".join(f"{k['kid']} ({k['kty']}, {k['alg']})" for k in jwks_summary(keys)) or "-"

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: the audit log keeps naming the client

    def save_model(self, request, obj, form, change):
        obj.full_clean(exclude=["client_secret", "user"])
        super().save_model(request, obj, form, change)
        if not obj.active:
            get_access_token_model().objects.filter(application=obj).delete()

    # Both actions hand over or take away an agency's identity: they need the change permission, never just
    # view (a view-only user would otherwise be shown a new secret and become that agency's case system).
    @admin.action(description="Rotate secret (shown once) and revoke live tokens", permissions=["change"])
    def rotate_secret(self, request, queryset):
        for client in queryset:
            try:
                issued = client_rotate_secret(client_id=client.client_id, context=admin_audit_context(request))
            except ValidationError as exc:
                self.message_user(request, "; ".join(exc.messages), messages.ERROR)
                continue
            self.message_user(
                request,
                f"New secret for {client.client_id}: {issued.client_secret} (shown once; copy it now).",
                messages.WARNING,
            )

    @admin.action(description="Revoke (deactivate and delete tokens)", permissions=["change"])
    def revoke(self, request, queryset):
        for client in queryset:
            client_revoke(client_id=client.client_id, context=admin_audit_context(request))
        self.message_user(request, f"Revoked {queryset.count()} client(s).")
