"""What every domain's API shares."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import ValidationError


def refusal(error: DjangoValidationError) -> ValidationError:
    """An action's ValidationError as the API's 400: field errors keyed by field, others under
    "detail"."""
    if hasattr(error, "error_dict"):
        return ValidationError(error.message_dict)
    return ValidationError({"detail": error.messages})
