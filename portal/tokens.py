"""One-time tokens for email confirmation links."""

from django.contrib.auth.tokens import PasswordResetTokenGenerator


class EmailConfirmationTokenGenerator(PasswordResetTokenGenerator):
    """Valid until the account is activated or its password changes (both are hashed)."""

    key_salt = "portal.tokens.EmailConfirmationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return f"{user.pk}{user.email}{user.password}{user.is_active}{timestamp}"


email_confirmation_token = EmailConfirmationTokenGenerator()
