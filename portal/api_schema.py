"""OpenAPI post-processing: every operation documents the one shared error shape."""

ERROR_SCHEMA = {
    "type": "object",
    "description": "Every error: a readable message and per-field details.",
    "properties": {
        "detail": {"type": "string", "example": "platform: Unknown platform 'esx'."},
        "errors": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "example": {"platform": ["Unknown platform 'esx'."]},
        },
    },
    "required": ["detail", "errors"],
}
READ_ERRORS = {
    "400": "Invalid query parameters (the message names them).",
    "404": "No such object, or a page past the end.",
    "503": "Too busy or the database is briefly unreachable; retry after `Retry-After` seconds.",
}
WRITE_ERRORS = {
    "401": "Missing or invalid `Authorization: Token <key>`.",
    "413": "Body or raw output over the size limit.",
    "429": "Too many submissions; retry after the `Retry-After` seconds.",
}


BACKEND_INTEGER_LIMITS = {32767, 2147483647, 9223372036854775807}


def _drop_backend_limits(node) -> None:
    """Integer bounds come from the database backend (SQLite and PostgreSQL differ); the
    contract should not, so the storage-size bounds are left out."""
    if isinstance(node, dict):
        if node.get("type") == "integer":
            if node.get("maximum") in BACKEND_INTEGER_LIMITS:
                del node["maximum"]
            if node.get("format") == "int64":
                del node["format"]
        for value in node.values():
            _drop_backend_limits(value)
    elif isinstance(node, list):
        for value in node:
            _drop_backend_limits(value)


ACCEPT_LANGUAGE = {
    "name": "Accept-Language",
    "in": "header",
    "required": False,
    "description": "`zh-hans` for Simplified Chinese catalogue texts (names, descriptions, "
    "summaries, scenario texts); English otherwise and wherever a translation is missing.",
    "schema": {"type": "string", "enum": ["en", "zh-hans"]},
}


def add_error_responses(result, generator, request, public):
    _drop_backend_limits(result)
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method == "get":
                operation.setdefault("parameters", []).append(ACCEPT_LANGUAGE)
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            errors = dict(READ_ERRORS)
            if method in {"post", "put", "patch", "delete"}:
                errors |= WRITE_ERRORS
            responses = operation.setdefault("responses", {})
            for code, description in errors.items():
                responses.setdefault(code, {"description": description, "content": reference})
            # Answered by the web server (gunicorn) before the app sees the request.
            responses.setdefault("414", {"description": "URL too long for the web server."})
    return result
