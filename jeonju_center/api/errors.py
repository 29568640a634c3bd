"""One JSON error shape for the whole API: ``{"code": "...", "detail": "...", "errors": {"field": ["..."]}}``."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def _flatten(detail):
    """DRF error details → {"field": ["message", ...]} (nested fields joined with dots)."""
    if isinstance(detail, dict):
        flat = {}
        for field, value in detail.items():
            nested = _flatten(value)
            if isinstance(nested, dict):
                for sub, messages in nested.items():
                    flat[f"{field}.{sub}"] = messages
            else:
                flat[str(field)] = nested
        return flat
    if isinstance(detail, list):
        if any(isinstance(item, dict | list) for item in detail):
            flat = {}
            for index, item in enumerate(detail):
                nested = _flatten(item)
                if isinstance(nested, dict):
                    flat.update({f"{index}.{k}": v for k, v in nested.items()})
                elif nested:
                    flat[str(index)] = nested
            return flat
        return [str(item) for item in detail]
    return [str(detail)]


def error_body(code, detail, errors=None):
    return {"code": code, "detail": str(detail), "errors": errors or {}}


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        # Services validate with Django's ValidationError; the API answers it as a 400 like any bad input.
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        if isinstance(errors, list):
            errors = {"non_field_errors": errors}
        body = error_body("invalid", _("입력값이 올바르지 않습니다."), errors)
    else:
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        code = codes if isinstance(codes, str) else "error"
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        body = error_body(code, detail)
    response.data = body
    request = context.get("request")
    if request is not None:
        # Errors keep their JSON shape even when the list was asked for as ?format=csv.
        request.accepted_renderer, request.accepted_media_type = JSONRenderer(), "application/json"
    return response


def not_found_response():
    return Response(error_body("not_found", _("찾을 수 없습니다.")), status=status.HTTP_404_NOT_FOUND)
