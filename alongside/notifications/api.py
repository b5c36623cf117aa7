"""API endpoints of this domain; alongside/api/urls.py mounts `urlpatterns` under /api/v1/."""

urlpatterns: list = []
