#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "claimtrack.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        from django.conf import settings

        settings.INSTALLED_APPS  # noqa: B018 (reads the settings: a bad one is said in one line)
    except ImproperlyConfigured as error:
        sys.exit(f"claimtrack cannot start: {error}")
    execute_from_command_line(sys.argv)
