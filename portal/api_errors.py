"""One error shape for the whole API: {"detail": "...", "errors": {field: [messages]}}."""

from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler


def _flatten(errors, prefix: str = "") -> dict[str, list[str]]:
    """Turn DRF's nested error structure into {"a.b.0.c": [messages]}."""
    flat: dict[str, list[str]] = {}
    if isinstance(errors, dict):
        for key, value in errors.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            flat.update(_flatten(value, name))
    elif isinstance(errors, list) and errors and all(isinstance(e, str) for e in errors):
        flat[prefix or "non_field_errors"] = [str(e) for e in errors]
    elif isinstance(errors, list):
        for index, value in enumerate(errors):
            if value:
                flat.update(_flatten(value, f"{prefix}.{index}" if prefix else str(index)))
    else:
        flat[prefix or "non_field_errors"] = [str(errors)]
    return flat


def _summary(errors: dict[str, list[str]]) -> str:
    field, messages = next(iter(errors.items()))
    extra = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{field}: {messages[0]}{extra}"


def _encodable(text: str) -> str:
    """An error may quote what was sent; a lone surrogate in it could not be encoded as
    UTF-8 (the renderer failed with a 500), so it is written as an escape instead."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(response.data)
        detail = _summary(errors)
    else:
        data = response.data if isinstance(response.data, dict) else {}
        errors = _flatten(data["errors"]) if data.get("errors") else {}
        detail = data.get("detail") or (_summary(errors) if errors else response.status_text)
    response.data = {
        "detail": _encodable(str(detail)),
        "errors": {_encodable(k): [_encodable(m) for m in v] for k, v in errors.items()},
    }
    return response
