"""Gunicorn for the web service: `gunicorn --config deploy/gunicorn.conf.py strategy_portal.wsgi`.

The proxy in front (deploy/nginx/nginx.conf) reads each request body whole and buffers each
response, so a worker is busy only while Django works, never while a slow client sends or reads.
"""

import os

bind = "0.0.0.0:8000"

# Threaded workers: a request spends most of its time waiting on PostgreSQL, and while one
# thread waits the others serve. 3 workers x 4 threads = 12 requests at once, each thread with
# its own database connection (12, well under PostgreSQL's default 100 with the Celery worker's).
# The measured load (docs/performance.md: 20 busy clients, 12 requests a second) is a fraction of
# that; raise GUNICORN_WORKERS with the CPUs given to the container (about 2 per CPU), not threads.
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))

# With threaded workers this is a heartbeat, not a request limit: a worker that has not checked
# in for 60 s is wedged and is replaced. The request limit is the proxy's proxy_read_timeout.
timeout = 60
# On a stop or a new deployment (SIGTERM), requests in progress get this long to finish. Longer
# than any ordinary request; the compose file's stop_grace_period is longer still, so Docker
# does not kill the worker before gunicorn has let go.
graceful_timeout = 30
# A fresh worker every thousand-odd requests bounds the memory a slow leak could take; the jitter
# keeps the workers from all restarting at once.
max_requests = 1000
max_requests_jitter = 100

# The heartbeat file lives in memory: on a container's overlay filesystem a write can block for
# seconds and get a healthy worker killed.
worker_tmp_dir = "/dev/shm"

accesslog = "-"
# The client's address as the proxy gave it, then the request, status, size and duration (ms).
access_log_format = '%({x-forwarded-for}i)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
