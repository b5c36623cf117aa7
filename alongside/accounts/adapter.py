"""allauth hooks: every new account gets its pseudonymous profile in the same transaction."""

from allauth.account.adapter import DefaultAccountAdapter
from django.db import transaction

from alongside.accounts.models import Profile


class AccountAdapter(DefaultAccountAdapter):
    @transaction.atomic
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            Profile.objects.get_or_create(user=user)
        return user
