"""The few pages anyone may open without signing in. Everything else requires sign-in.

Django's LoginRequiredMiddleware denies by default; the views below opt out with
`@login_not_required` (allauth's and the API schema's views do so themselves). A test checks
this list against what the site really serves to an anonymous visitor, so a page cannot become
public without being added here, in review.
"""

PUBLIC_URL_NAMES = frozenset(
    {
        # Landing and language
        "core:landing",
        "set_language",
        # Crisis lines, for anyone: a person in crisis must not have to sign in first
        "safety:help_now",
        # A published group and its meetings, for anyone looking for a meeting
        "groups:detail",
        "groups:meeting",
        # The meeting directory: find a published meeting near you, tonight
        "directory:search",
        "api-directory-search",
        # Feeds for meeting apps and calendar clients (published groups only)
        "feeds:meetings",
        "feeds:group_calendar",
        # A member's own meetings for their calendar app: the secret in the address is the key
        "feeds:personal_calendar",
        # Signing up, in and out, verifying email, resetting a password (allauth)
        "account_signup",
        "account_login",
        "account_logout",
        "account_inactive",
        "account_email_verification_sent",
        "account_confirm_email",
        "account_reset_password",
        "account_reset_password_done",
        "account_reset_password_from_key",
        "account_reset_password_from_key_done",
        # A program's published recovery stories (with their writers' consent in force)
        "stories:public",
        "stories:public_story",
        "api-stories",
        "api-story",
        # An invitation link shows which program invites you before you sign up
        "programs:invitation",
        # The API's description (no data)
        "api-schema",
        "api-docs",
        # The service worker and the page it keeps, the crisis lines for when there is no network
        "core:service_worker",
        "safety:offline",
        # Health checks for load balancers and monitoring: ok or not, nothing about anyone
        "core:health",
        "core:health_alerts",
    }
)
