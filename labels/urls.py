from django.urls import path

from labels.views import holder, public, staff

app_name = "labels"

urlpatterns = [
    path("labels/", public.directory, name="directory"),
    path("labels/mine/", holder.my_labels, name="mine"),
    path(".well-known/jwks.json", public.jwks, name="jwks"),
    path("labels/status-list.jwt", public.status_list, name="status_list"),
    path("labels/status-list.json", public.status_list_json, name="status_list_json"),
    path("labels/verify/", public.verify_form, name="verify_form"),
    path("labels/verify/<str:number>/", public.verify, name="verify"),
    path("labels/<str:number>/", public.space, name="space"),
    path("labels/<str:number>/certificate.pdf", holder.certificate, name="certificate"),
    path("labels/<str:number>/profile/", holder.profile, name="profile"),
    path("staff/labels/", staff.label_list, name="staff_list"),
    path("staff/labels/export.<str:fmt>", staff.export, name="staff_export"),
    path("staff/labels/<str:number>/", staff.detail, name="staff_detail"),
]
