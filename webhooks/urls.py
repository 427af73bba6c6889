from django.urls import path

from webhooks import views

app_name = "webhooks"

urlpatterns = [
    path("staff/programmes/<slug:slug>/webhooks/", views.endpoint_list, name="endpoints"),
    path("staff/programmes/<slug:slug>/webhooks/add/", views.endpoint_form, name="endpoint_add"),
    path(
        "staff/programmes/<slug:slug>/webhooks/<int:pk>/",
        views.deliveries,
        name="deliveries",
    ),
    path(
        "staff/programmes/<slug:slug>/webhooks/<int:pk>/edit/",
        views.endpoint_form,
        name="endpoint_edit",
    ),
    path(
        "staff/programmes/<slug:slug>/webhooks/<int:pk>/secret/",
        views.regenerate_secret,
        name="regenerate_secret",
    ),
    path("staff/programmes/<slug:slug>/webhooks/<int:pk>/delete/", views.delete, name="delete"),
    path("staff/programmes/<slug:slug>/webhooks/<int:pk>/resume/", views.resume, name="resume"),
    path(
        "staff/programmes/<slug:slug>/webhooks/<int:pk>/deliveries/<uuid:delivery>/send-again/",
        views.send_again,
        name="send_again",
    ),
]
