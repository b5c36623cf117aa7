from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def notification_list(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


def unread(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


def open_notification(request: HttpRequest, notification_id: int) -> HttpResponse:
    return render(request, "core/home.html")
