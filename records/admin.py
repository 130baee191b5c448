"""Retention policies, legal holds and tombstones in the Django admin, for people (records officers).

Every change goes through ``records.services``, so the admin writes the same audit rows as the commands.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin

from agencies.models import ReferralType
from records.models import Disposal, LegalHold, RetentionPolicy
from records.services import legal_hold_place, legal_hold_release, retention_policy_delete, retention_policy_set
from referrals.models import Referral


def _actor(request) -> str:
    return f"admin:{request.user.get_username()}"


class RetentionPolicyForm(forms.ModelForm):
    referral_type = forms.ChoiceField(choices=ReferralType.choices)

    class Meta:
        model = RetentionPolicy
        fields = ("referral_type", "days", "citation")


@admin.register(RetentionPolicy)
class RetentionPolicyAdmin(admin.ModelAdmin):
    form = RetentionPolicyForm
    list_display = ("referral_type", "days", "citation", "updated_at")
    ordering = ("referral_type",)

    def save_model(self, request, obj, form, change):
        policy, _ = retention_policy_set(
            referral_type=obj.referral_type, days=obj.days, citation=obj.citation, actor=_actor(request)
        )
        obj.pk = policy.pk

    def delete_model(self, request, obj):
        retention_policy_delete(policy=obj, actor=_actor(request))

    def delete_queryset(self, request, queryset):
        for policy in queryset:
            retention_policy_delete(policy=policy, actor=_actor(request))


class LegalHoldForm(forms.ModelForm):
    reference = forms.CharField(max_length=32, help_text="The referral's reference, e.g. REF-2026-000042.")
    matter = forms.CharField(widget=forms.Textarea, max_length=2000)

    class Meta:
        model = LegalHold
        fields = ("reference", "matter")

    def clean(self):
        data = super().clean()
        referral = Referral.objects.filter(reference=(data.get("reference") or "").strip()).first()
        if referral is None:
            raise forms.ValidationError("No referral with this reference.")
        if referral.is_disposed or referral.legal_hold:
            raise forms.ValidationError("This referral is already disposed of or on legal hold.")
        return data


@admin.register(LegalHold)
class LegalHoldAdmin(admin.ModelAdmin):
    """Holds are placed here or with ``legal_hold_place``, released with the action; never edited or deleted."""

    list_display = ("referral", "placed_at", "placed_by", "released_at", "released_by")
    list_filter = ("released_at",)
    search_fields = ("=referral__reference",)
    actions = ["release"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = LegalHoldForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("reference", "matter")
        return ("referral", "matter", "placed_at", "placed_by", "released_at", "released_by")

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.get_fields(request, obj)

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        hold = legal_hold_place(
            reference=form.cleaned_data["reference"], matter=form.cleaned_data["matter"], actor=_actor(request)
        )
        obj.pk, obj.referral = hold.pk, hold.referral

    @admin.action(description="Release the selected legal holds")
    def release(self, request, queryset):
        for hold in queryset.filter(released_at__isnull=True).select_related("referral"):
            legal_hold_release(reference=hold.referral.reference, actor=_actor(request))
        self.message_user(request, "Released.")


@admin.register(Disposal)
class DisposalAdmin(admin.ModelAdmin):
    """Tombstones: read-only."""

    list_display = ("reference", "referral_type", "sender_agency", "receiver_agency", "disposed_at", "citation")
    list_filter = ("referral_type", "sender_agency", "receiver_agency")
    search_fields = ("=reference",)
    exclude = ("person_ids", "a_number_indexes")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
