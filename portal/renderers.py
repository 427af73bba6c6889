from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    """Every form renders through one field template and one error summary."""

    form_template_name = "portal/forms/form.html"
    field_template_name = "portal/forms/field.html"
