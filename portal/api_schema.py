"""OpenAPI generation: public reads without a security requirement, meaningful enum names,
and every operation documenting the one shared error shape."""

from drf_spectacular.openapi import AutoSchema
from rest_framework.permissions import SAFE_METHODS, AllowAny, IsAuthenticatedOrReadOnly

PUBLIC_READ_PERMISSIONS = (AllowAny, IsAuthenticatedOrReadOnly)


class PublicReadsSchema(AutoSchema):
    """A GET that anyone may make lists no security requirement (no padlock in the docs):
    listing the token as an option made every public read look as if it needed a login."""

    def get_auth(self):
        permissions = self.view.get_permissions()
        public = all(isinstance(p, PUBLIC_READ_PERMISSIONS) for p in permissions)
        if self.method in SAFE_METHODS and public:
            return []
        return super().get_auth()


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


# drf-spectacular names the empty choice of every optional choice field "BlankEnum".
BLANK_ENUM, BLANK_ENUM_NAME = "BlankEnum", "NotSetEnum"
BLANK_ENUM_DESCRIPTION = "An empty string: the field does not apply or is not set."


def _rename_refs(node, old: str, new: str) -> None:
    if isinstance(node, dict):
        if node.get("$ref") == old:
            node["$ref"] = new
        for value in node.values():
            _rename_refs(value, old, new)
    elif isinstance(node, list):
        for value in node:
            _rename_refs(value, old, new)


def _name_blank_enum(result) -> None:
    schemas = result.get("components", {}).get("schemas", {})
    if BLANK_ENUM in schemas:
        blank = schemas.pop(BLANK_ENUM)
        schemas[BLANK_ENUM_NAME] = {**blank, "description": BLANK_ENUM_DESCRIPTION}
        prefix = "#/components/schemas/"
        _rename_refs(result, prefix + BLANK_ENUM, prefix + BLANK_ENUM_NAME)


def add_error_responses(result, generator, request, public):
    _drop_backend_limits(result)
    _name_blank_enum(result)
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
