from django.urls import path

from alongside.safety import views

app_name = "safety"

urlpatterns: list = [
    # Member side: help now, crisis resources, safety plan.
    path("help/", views.help_now, name="help_now"),
    path("help/sent/", views.help_sent, name="help_sent"),
    path("offline/", views.offline, name="offline"),
    path("plan/", views.plan, name="plan"),
    path("plan/edit/", views.plan_edit, name="plan_edit"),
    path("plan/print/", views.plan_print, name="plan_print"),
    path(
        "programs/<slug:slug>/members/<int:member_id>/plan/",
        views.member_plan,
        name="member_plan",
    ),
    path("boundaries/", views.boundaries, name="boundaries"),
    # Supporter side: concerns about the members they support.
    path(
        "programs/<slug:slug>/my-members/concerns/",
        views.member_concerns,
        name="member_concerns",
    ),
    path(
        "programs/<slug:slug>/my-members/concerns/<int:flag_id>/reached-out/",
        views.member_concern_reached_out,
        name="member_concern_reached_out",
    ),
    # Staff side: escalations, on-call roster, concern queue, settings.
    path("programs/<slug:slug>/escalations/", views.escalations, name="escalations"),
    path(
        "programs/<slug:slug>/escalations/<int:escalation_id>/",
        views.escalation,
        name="escalation",
    ),
    path(
        "programs/<slug:slug>/escalations/<int:escalation_id>/acknowledge/",
        views.acknowledge,
        name="escalation_acknowledge",
    ),
    path(
        "programs/<slug:slug>/escalations/<int:escalation_id>/contact/",
        views.record_contact,
        name="escalation_contact",
    ),
    path(
        "programs/<slug:slug>/escalations/<int:escalation_id>/outcome/",
        views.record_outcome,
        name="escalation_outcome",
    ),
    path(
        "programs/<slug:slug>/escalations/<int:escalation_id>/note/",
        views.add_note,
        name="escalation_note",
    ),
    path(
        "programs/<slug:slug>/escalations/<int:escalation_id>/close/",
        views.close,
        name="escalation_close",
    ),
    path("programs/<slug:slug>/on-call/", views.on_call, name="on_call"),
    path(
        "programs/<slug:slug>/on-call/<int:shift_id>/remove/",
        views.remove_shift,
        name="shift_remove",
    ),
    path("programs/<slug:slug>/concerns/", views.concerns, name="concerns"),
    path(
        "programs/<slug:slug>/concerns/<int:flag_id>/review/",
        views.review_concern,
        name="concern_review",
    ),
    path("programs/<slug:slug>/settings/", views.safety_settings, name="settings"),
]
