"""JSON parsing that turns pathological input into a 400 instead of a 500."""

from collections.abc import Mapping
from typing import IO, Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from . import safe_json


class SafeJSONParser(JSONParser):
    """Bounded JSON (portal.safe_json). A nested `raw` document (a tool's JSON output sent
    as an object) is handed on as the exact text it was sent as, so it is stored byte for
    byte as received rather than re-serialized."""

    def parse(
        self,
        stream: IO[Any] | None,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        # The stream ends at the Content-Length (Django's LimitedStream), which the view
        # has checked against the limit before anything is read: the one body-size check.
        body = stream.read() if stream is not None else b""
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ParseError(f"Body is not UTF-8 text (byte {exc.start}).") from exc
        try:
            data = safe_json.loads(text)
        except safe_json.JSONTooComplex as exc:
            raise ParseError(f"JSON refused: {exc}.") from exc
        except ValueError as exc:
            raise ParseError(f"Malformed JSON: {exc}") from exc
        if isinstance(data, dict) and isinstance(data.get("raw"), dict | list):
            span = safe_json.value_span(text, "raw")
            assert span is not None  # the key is there: data has it
            start, stop = span
            data["raw"] = text[start:stop]
        return data
