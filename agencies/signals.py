"""Keep the token cache (referral_api.authentication) honest: revocation and deactivation act at once.

Any write that can make a cached token invalid bumps the generation of the client or agency concerned:

* ``post_save`` (except creation) and ``post_delete`` of a client or an agency;
* ``post_save`` (except creation) and ``post_delete`` of an access token (revocation, rotation, admin edits);
* ``QuerySet.update()``, which sends no signal: clients and agencies have querysets whose ``update()`` bumps the
  generations of the rows it changes (agencies/models.py); django-oauth-toolkit's access token model is not
  ours to declare, so ``install()`` gives its default manager such a queryset here.

Only raw SQL bypasses all of this; cached entries then still expire within ``TOKEN_CACHE_SECONDS``.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from referral_api.authentication import token_cache_invalidate


def _client_saved(sender, instance, created, **kwargs):
    if not created:
        token_cache_invalidate(client_ids=[instance.client_id])


def _client_deleted(sender, instance, **kwargs):
    token_cache_invalidate(client_ids=[instance.client_id])


def _agency_saved(sender, instance, created, **kwargs):
    if not created:
        token_cache_invalidate(agency_ids=[instance.pk])


def _agency_deleted(sender, instance, **kwargs):
    token_cache_invalidate(agency_ids=[instance.pk])


def _token_client_id(token) -> str | None:
    if token.application_id is None:
        return None
    client = token._state.fields_cache.get("application")
    if client is not None:
        return client.client_id
    from agencies.models import Client

    return Client.objects.filter(pk=token.application_id).values_list("client_id", flat=True).first()


def _token_changed(sender, instance, created=False, **kwargs):
    if created:
        return
    if kwargs.get("signal") is post_delete and instance.expires is not None and instance.expires <= timezone.now():
        return  # an expired token is refused from the cache anyway (e.g. cleartokens removing old rows)
    client_id = _token_client_id(instance)
    if client_id is not None:
        token_cache_invalidate(client_ids=[client_id])


class _InvalidatingUpdate:
    """``update()`` that bumps the token-cache generations of the rows it is about to change."""

    def update(self, **kwargs):
        targets = self._token_cache_targets()
        rows = super().update(**kwargs)
        token_cache_invalidate(**targets)
        return rows


def _targets_for(model_label: str):
    return lambda qs: {
        "client_ids": list(qs.exclude(application=None).values_list("application__client_id", flat=True))
    }


def _install_queryset(model, label: str) -> None:
    manager = model._default_manager
    base = manager._queryset_class
    if issubclass(base, _InvalidatingUpdate):
        return
    targets = _targets_for(label)
    manager._queryset_class = type(
        f"TokenCacheInvalidating{base.__name__}",
        (_InvalidatingUpdate, base),
        {"_token_cache_targets": lambda self: targets(self)},
    )


def install() -> None:
    from oauth2_provider.models import get_access_token_model

    from agencies.models import Agency, Client

    access_token = get_access_token_model()
    post_save.connect(_client_saved, sender=Client, dispatch_uid="token_cache_client_saved")
    post_delete.connect(_client_deleted, sender=Client, dispatch_uid="token_cache_client_deleted")
    post_save.connect(_agency_saved, sender=Agency, dispatch_uid="token_cache_agency_saved")
    post_delete.connect(_agency_deleted, sender=Agency, dispatch_uid="token_cache_agency_deleted")
    post_save.connect(_token_changed, sender=access_token, dispatch_uid="token_cache_token_saved")
    post_delete.connect(_token_changed, sender=access_token, dispatch_uid="token_cache_token_deleted")
    _install_queryset(access_token, "token")
