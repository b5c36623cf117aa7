"""Typing for views that answer htmx requests differently (django-htmx sets `request.htmx`)."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails
