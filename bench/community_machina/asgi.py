"""Served by uvicorn through Django's ASGI handler, as Alongside's HTTP is."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings")
application = get_asgi_application()
