"""Production gunicorn settings; gunicorn reads this file from the working directory.

Threaded workers let portal.middleware.LoadSheddingMiddleware see excess requests and
answer them 503 at once, instead of leaving them queued in the listen socket.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
timeout = 30
graceful_timeout = 20
# Recycle workers now and then so that slow memory growth never accumulates.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))  # 0: never (make perf)
max_requests_jitter = 500
