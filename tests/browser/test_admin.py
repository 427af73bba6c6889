"""The admin under the portal's Content Security Policy: no inline code refused."""

from django.urls import reverse


def test_the_admins_pages_run_without_a_content_security_policy_error(
    page, admin_user, organisation, sign_in_as
):
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    sign_in_as(page, admin_user)

    for url in [
        reverse("admin:index"),
        reverse("admin:portal_organisation_changelist"),
        reverse("admin:portal_organisation_change", args=[organisation.pk]),
        reverse("admin:portal_user_changelist"),
    ]:
        page.goto(url)
    page.goto(reverse("admin:portal_organisation_export"))
    fields = page.locator('.selectable-field-export-row input[type="checkbox"]')
    assert fields.count() > 1
    # "Select all" is an inline handler the policy lets in by its hash: it works.
    page.locator(".select-toggle").uncheck()
    assert not any(fields.nth(i).is_checked() for i in range(fields.count()))

    assert refused == []
