"""What the load, fault and performance scripts share: a scratch PostgreSQL database holding
the shipped catalogue, production settings, and gunicorn (gunicorn.conf.py) on loopback."""

import http.client
import os
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
PG = ("-h", "127.0.0.1", "-U", "postgres")
TOKEN_SNIPPET = """
from django.contrib.auth.models import User
from rest_framework.authtoken.models import Token
user, _ = User.objects.get_or_create(username="{username}")
print(Token.objects.get_or_create(user=user)[0].key)
"""


def production_env(db: str, **extra: str) -> dict[str, str]:
    """Production settings (DEBUG off) on loopback, with a scratch database."""
    env = dict(
        os.environ,
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{db}",
        DJANGO_DEBUG="0",
        DJANGO_SSL_REDIRECT="0",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECRET_KEY="loopback-run-only-" + "x" * 40,
    )
    return env | extra


def sh(*args: str, **kwargs) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True, **kwargs).stdout


def manage(env: dict, *args: str) -> str:
    return sh(PY, "manage.py", *args, cwd=ROOT, env=env)


def fresh_database(db: str, env: dict) -> None:
    """Drop and recreate `db`, migrate, collect static files, load catalogue and benchmarks."""
    drop_database(db)
    sh("createdb", *PG, db)
    manage(env, "migrate", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    manage(env, "load_catalog")
    manage(env, "load_benchmarks")


def drop_database(db: str) -> None:
    sh("dropdb", *PG, "--if-exists", db)


def api_token(env: dict, username: str) -> str:
    return manage(env, "shell", "-v0", "-c", TOKEN_SNIPPET.format(username=username)).strip()


def fetch(port: int, path: str, headers: dict | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", path, headers=headers or {})
    response = conn.getresponse()
    return response, response.read()


def start_gunicorn(port: int, env: dict, workers: int = 3) -> subprocess.Popen:
    """gunicorn on 127.0.0.1:`port`, returned once /healthz answers 200."""
    gunicorn = str(ROOT / ".venv" / "bin" / "gunicorn")
    args = [gunicorn, "portal.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers)]
    server = subprocess.Popen([*args, "--log-level", "warning"], cwd=ROOT, env=env)
    for _ in range(100):
        try:
            if fetch(port, "/healthz")[0].status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    server.terminate()
    raise RuntimeError(f"gunicorn on port {port} did not start")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))]
