from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def program_list(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


def detail(request: HttpRequest, slug: str) -> HttpResponse:
    return render(request, "core/home.html")


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    return render(request, "core/home.html")
