from django.urls import path

from applications.views import (
    applicant,
    formbuilder,
    mailings,
    public,
    staff,
    translations,
    wordings,
)

app_name = "applications"

urlpatterns = [
    path("calls/<slug:slug>/", public.call_detail, name="call"),
    path("calls/<slug:slug>/apply/", applicant.start, name="start"),
    path("applications/", applicant.application_list, name="list"),
    path("applications/<int:pk>/", applicant.detail, name="detail"),
    path("applications/<int:pk>/edit/<slug:section>/", applicant.edit_section, name="section"),
    path("applications/<int:pk>/answers/<int:section_pk>/", applicant.edit_answers, name="answers"),
    path(
        "applications/<int:pk>/documents/types/<int:type_pk>/",
        applicant.upload_document,
        name="upload",
    ),
    path(
        "applications/<int:pk>/documents/<int:document_pk>/",
        applicant.download_document,
        name="document",
    ),
    path(
        "applications/<int:pk>/documents/<int:document_pk>/delete/",
        applicant.delete_document,
        name="delete_document",
    ),
    path("applications/<int:pk>/eligibility/", applicant.eligibility, name="eligibility"),
    path("applications/<int:pk>/submit/", applicant.submit, name="submit"),
    path("applications/<int:pk>/withdraw/", applicant.withdraw, name="withdraw"),
    path("applications/<int:pk>/receipts/<int:receipt_pk>.pdf", applicant.receipt, name="receipt"),
    path("applications/<int:pk>/letters/<int:letter_pk>.pdf", applicant.letter, name="letter"),
    path("staff/programmes/", staff.programme_list, name="staff_programmes"),
    path("staff/programmes/new/", staff.programme_create, name="staff_programme_create"),
    path("staff/programmes/<slug:slug>/", staff.programme_detail, name="staff_programme"),
    path("staff/programmes/<slug:slug>/edit/", staff.programme_edit, name="staff_programme_edit"),
    path("staff/programmes/<slug:slug>/calls/new/", staff.call_create, name="staff_call_create"),
    path("staff/calls/<slug:slug>/", staff.call_applications, name="staff_call"),
    path("staff/calls/<slug:slug>/edit/", staff.call_edit, name="staff_call_edit"),
    path(
        "staff/calls/<slug:slug>/translations/",
        translations.call_translations,
        name="staff_call_translations",
    ),
    path(
        "staff/programmes/<slug:slug>/translations/",
        translations.programme_translations,
        name="staff_programme_translations",
    ),
    path("staff/calls/<slug:slug>/export.<str:fmt>", staff.call_export, name="staff_call_export"),
    path("staff/applications/<int:pk>/", staff.application_detail, name="staff_application"),
    path(
        "staff/applications/<int:pk>/request-changes/",
        staff.request_changes,
        name="staff_request_changes",
    ),
    path(
        "staff/applications/<int:pk>/extend-deadline/",
        staff.extend_changes_deadline,
        name="staff_extend_deadline",
    ),
    path(
        "staff/applications/<int:pk>/close-change-request/",
        staff.close_change_request,
        name="staff_close_change_request",
    ),
    path(
        "staff/applications/<int:pk>/admissible/",
        staff.declare_admissible,
        name="staff_admissible",
    ),
    path(
        "staff/applications/<int:pk>/inadmissible/",
        staff.declare_inadmissible,
        name="staff_inadmissible",
    ),
]

# The application form of a call, built by its officers; the next call made from one.
urlpatterns += [
    path("staff/calls/<slug:slug>/form/", formbuilder.overview, name="staff_form"),
    path(
        "staff/calls/<slug:slug>/form/preview/",
        formbuilder.preview,
        name="staff_form_preview",
    ),
    path(
        "staff/calls/<slug:slug>/form/history/",
        formbuilder.history,
        name="staff_form_history",
    ),
    path(
        "staff/calls/<slug:slug>/form/sections/new/",
        formbuilder.section_edit,
        name="staff_form_section_add",
    ),
    path(
        "staff/calls/<slug:slug>/form/sections/<int:pk>/",
        formbuilder.section_edit,
        name="staff_form_section",
    ),
    path(
        "staff/calls/<slug:slug>/form/sections/<int:section_pk>/questions/new/",
        formbuilder.question_edit,
        name="staff_form_question_add",
    ),
    path(
        "staff/calls/<slug:slug>/form/questions/<int:pk>/",
        formbuilder.question_edit,
        name="staff_form_question",
    ),
    path(
        "staff/calls/<slug:slug>/form/questions/<int:question_pk>/options/new/",
        formbuilder.option_edit,
        name="staff_form_option_add",
    ),
    path(
        "staff/calls/<slug:slug>/form/questions/<int:question_pk>/columns/new/",
        formbuilder.column_edit,
        name="staff_form_column_add",
    ),
    path(
        "staff/calls/<slug:slug>/form/columns/<int:pk>/",
        formbuilder.column_edit,
        name="staff_form_column",
    ),
    path(
        "staff/calls/<slug:slug>/form/columns/<int:column_pk>/options/new/",
        formbuilder.option_edit,
        name="staff_form_column_option_add",
    ),
    path(
        "staff/calls/<slug:slug>/form/options/<int:pk>/",
        formbuilder.option_edit,
        name="staff_form_option",
    ),
    path(
        "staff/calls/<slug:slug>/form/rules/new/",
        formbuilder.rule_edit,
        name="staff_form_rule_add",
    ),
    path(
        "staff/calls/<slug:slug>/form/rules/<int:pk>/",
        formbuilder.rule_edit,
        name="staff_form_rule",
    ),
    path(
        "staff/calls/<slug:slug>/form/<str:kind>/<int:pk>/remove/",
        formbuilder.remove,
        name="staff_form_remove",
    ),
    path(
        "staff/calls/<slug:slug>/form/<str:kind>/<int:pk>/move/<str:direction>/",
        formbuilder.move,
        name="staff_form_move",
    ),
    path("staff/calls/<slug:slug>/duplicate/", formbuilder.duplicate, name="staff_call_duplicate"),
    # The wording of the messages: a programme's (officers), the portal's own (administrators).
    path("staff/programmes/<slug:slug>/messages/", wordings.overview, name="messages"),
    path(
        "staff/programmes/<slug:slug>/messages/<path:key>/reset/",
        wordings.reset,
        name="message_reset",
    ),
    path("staff/programmes/<slug:slug>/messages/<path:key>/", wordings.edit, name="message"),
    path("staff/messages/", wordings.overview, name="portal_messages"),
    path("staff/messages/<path:key>/reset/", wordings.reset, name="portal_message_reset"),
    path("staff/messages/<path:key>/", wordings.edit, name="portal_message"),
]

# A call's mailings: its decisions, its hearing invitations, previewed and then sent.
urlpatterns += [
    path("staff/calls/<slug:slug>/mailings/", mailings.mailing_list, name="staff_mailings"),
    path("staff/mailings/<int:pk>/", mailings.mailing_detail, name="staff_mailing"),
    path("staff/mailings/<int:pk>/send/", mailings.send, name="staff_mailing_send"),
    path(
        "staff/mailings/<int:pk>/send-failed-again/",
        mailings.send_failed_again,
        name="staff_mailing_send_again",
    ),
]
