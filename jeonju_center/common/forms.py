"""Shared form plumbing."""


def add_service_errors(form, error, *, field_map=None):
    """Show a service's ``ValidationError`` on ``form``: each message on its field when the form has it
    (``field_map`` renames a service field to the form's, e.g. ``{"starts_at": "date"}``), else on the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, messages in error.message_dict.items():
        field = (field_map or {}).get(field, field)
        form.add_error(field if field in form.fields else None, messages)
