"""gunicorn's settings for claimtrack in production: `make serve`, or
`gunicorn claimtrack.wsgi` from the repository root (gunicorn reads this file from there).

HOST, PORT         where to listen (default 127.0.0.1 and 8000: this machine only; HOST=0.0.0.0
                   for a load balancer on another machine)
WEB_CONCURRENCY    worker processes (default: twice the cores plus one)
GUNICORN_TIMEOUT   seconds a request may take before its worker is replaced (default 120: an
                   export of every claim streams for ten seconds at 100,000 claims, and
                   proportionally longer past that)
FORWARDED_ALLOW_IPS addresses of the proxies whose X-Forwarded-Proto header is believed, so a
                   request that reached the load balancer over https is known to be secure
                   (default: 127.0.0.1; "*" when only the load balancer can reach the app)

Every worker keeps its own database connections (CONN_MAX_AGE in the settings); all state is in
the database and, when CACHE_URL is set, Redis, so any number of workers and machines can serve
behind a load balancer.
"""

import multiprocessing
import os


def envcount(name, default):
    value = os.environ.get(name, "")
    if value == "":
        return default
    if not value.isdigit() or int(value) < 1:
        raise SystemExit(f"{name} must be a whole number above 0, not {value!r}")
    return int(value)


bind = f"{os.environ.get('HOST', '') or '127.0.0.1'}:{envcount('PORT', 8000)}"
workers = envcount("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1)
# Sync workers, one request at a time each: pages are rendered in tens of milliseconds and
# exports are streamed, so a slow client holds one worker; WEB_CONCURRENCY sizes the pool.
worker_class = "sync"
timeout = envcount("GUNICORN_TIMEOUT", 120)
# On a restart (SIGHUP, a deploy), requests under way get this long to finish.
graceful_timeout = 30
keepalive = 5
# Import the app once, before forking: workers share its memory, and an error in the settings
# stops the server at once instead of making every worker fail in turn. (A code change then
# needs a restart, not a HUP.)
preload_app = True
# Replace each worker after about a thousand requests (jittered, so not all at once): whatever
# a worker's memory has grown by is given back.
max_requests = 1000
max_requests_jitter = 100
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Access log to standard output, with the time taken in microseconds (%(D)s); errors to stderr.
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(D)sus'
proc_name = "claimtrack"
# No control socket (gunicorn 25.1+): its default path is one per user, so a second server on
# the machine (another app server, a benchmark) would fight the first for it. Older gunicorns
# skip the unknown setting.
control_socket_disable = True
