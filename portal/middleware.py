"""Security headers the settings cannot express: the Content Security Policy."""

# Only our own origin for scripts, styles, images and connections: htmx and plotly.js are
# served from our static files and chart data travels in JSON islands, so no inline script.
STRICT = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
# The admin and the API explorers (Swagger UI, Redoc) set inline styles of their own; their
# scripts still come only from our origin.
INLINE_STYLES = STRICT.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'") + (
    "; worker-src 'self' blob:"  # Redoc's search index runs in a worker built from a blob
)
INLINE_STYLE_PREFIXES = ("/admin/", "/api/docs/", "/api/redoc/")


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            relaxed = request.path.startswith(INLINE_STYLE_PREFIXES)
            response["Content-Security-Policy"] = INLINE_STYLES if relaxed else STRICT
        return response
