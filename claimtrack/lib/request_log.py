"""One log line per request, and every log line of the request tagged with its id.

The id is the proxy's X-Request-ID when it sends a plausible one (so a request can be followed
from the load balancer's log into ours), else a new one; it is sent back in the response.
Lines are JSON, one per event, on stderr (see LOGGING in the settings): an error's traceback is
a field of its line, not a dozen lines a log collector would split.
"""

import contextvars
import json
import logging
import re
import time
import uuid

logger = logging.getLogger("claimtrack.requests")
request_id = contextvars.ContextVar("request_id", default="")
PLAUSIBLE_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        token = request_id.set(incoming if PLAUSIBLE_ID.fullmatch(incoming) else uuid.uuid4().hex)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id.get()
            # A streamed response is logged when its headers leave, before its body.
            logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response
        finally:
            request_id.reset(token)


class RequestIdFilter(logging.Filter):
    """Stamps every record logged while a request is served with that request's id."""

    def filter(self, record):
        record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """A record as one line of JSON: time, level, logger, message, the request's id and fields
    passed in `extra`, and the traceback when there is one."""

    FIELDS = ("method", "path", "status", "ms")

    def format(self, record):
        line = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if getattr(record, "request_id", ""):
            line["request_id"] = record.request_id
        for field in self.FIELDS:
            if hasattr(record, field):
                line[field] = getattr(record, field)
        status_code = getattr(record, "status_code", None)
        if status_code is not None:
            line["status"] = status_code
        if record.exc_info:
            line["traceback"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)
