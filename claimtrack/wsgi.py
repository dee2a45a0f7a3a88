import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "claimtrack.settings")
try:
    application = get_wsgi_application()
except ImproperlyConfigured as error:
    # A missing or wrong setting (no SECRET_KEY, say) stops the server with one line saying
    # which, not a traceback.
    raise SystemExit(f"claimtrack cannot start: {error}") from None
