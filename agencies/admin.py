"""Admin for agencies, offices, routing and clients. Secrets and tokens are never shown."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from oauth2_provider.models import get_access_token_model, get_grant_model, get_id_token_model, get_refresh_token_model

from agencies.jwks import jwks_cached, jwks_summary
from agencies.models import Agency, Client, Office, Route
from agencies.services import client_revoke, client_rotate_secret

# django-oauth-toolkit registers admin pages that list token values and a form that edits secrets: remove them.
for model in (get_access_token_model(), get_refresh_token_model(), get_grant_model(), get_id_token_model()):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
if admin.site.is_registered(Client):
    admin.site.unregister(Client)


class OfficeInline(admin.TabularInline):
    model = Office
    extra = 0


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "active", "may_receive_1367_protected")
    list_filter = ("active", "may_receive_1367_protected")
    search_fields = ("code", "name")
    inlines = [OfficeInline]


@admin.register(Route)
class RouteAdmin(admin.ModelAdmin):
    list_display = ("referral_type", "agency", "active")
    list_filter = ("referral_type", "agency", "active")


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin):
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

    @admin.action(description="Rotate secret (shown once) and revoke live tokens")
    def rotate_secret(self, request, queryset):
        for client in queryset:
            try:
                issued = client_rotate_secret(client_id=client.client_id)
            except ValidationError as exc:
                self.message_user(request, "; ".join(exc.messages), messages.ERROR)
                continue
            self.message_user(
                request,
                f"New secret for {client.client_id}: {issued.client_secret} (shown once; copy it now).",
                messages.WARNING,
            )

    @admin.action(description="Revoke (deactivate and delete tokens)")
    def revoke(self, request, queryset):
        for client in queryset:
            client_revoke(client_id=client.client_id)
        self.message_user(request, f"Revoked {queryset.count()} client(s).")
