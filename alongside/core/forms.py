"""The form renderer every form uses, so fields, labels and errors look and read the same."""

from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    form_template_name = "alongside/forms/div.html"
    field_template_name = "alongside/forms/field.html"
