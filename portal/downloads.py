from django.http import HttpResponse

# Excel reads a CSV file as the machine's legacy code page unless it starts with a UTF-8
# byte-order mark; with it, Chinese names and "×"/"≥" open as written.
UTF8_BOM = "\ufeff"


def csv_response(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(UTF8_BOM + text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
