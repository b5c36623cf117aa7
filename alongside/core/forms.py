"""Form plumbing every app shares: one renderer, so fields, labels and errors look and read the
same, and one way to show an action's ValidationError on a form."""

from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    form_template_name = "alongside/forms/div.html"
    field_template_name = "alongside/forms/field.html"


def add_validation_errors(form: BaseForm, error: ValidationError) -> None:
    """Show an action's ValidationError on the form the person filled in.

    Actions validate the whole use case (state, permissions, other rows) and raise
    ValidationError keyed by field name; views turn that back into messages next to the
    fields the person typed into, so they can fix them. Keys that are not fields of
    this form, and errors without field names, become non-field errors at the top.
    """
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, field_errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, field_errors)
