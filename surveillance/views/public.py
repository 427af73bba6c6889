"""What anyone may do without an account: report a problem with a labelled space."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from labels.models import Label
from portal import throttle
from surveillance import services
from surveillance.forms import VisitorReportForm

DAY = 24 * throttle.HOUR
# A few reports an hour from one connection, a few dozen a day on one label: enough for
# every real visitor, too few to flood the officers.
PER_SOURCE_PER_HOUR = 3
PER_LABEL_PER_DAY = 20
TOO_MANY = gettext_lazy(
    "Too many reports were sent from your connection or about this space. Please try again "
    "later; if it is urgent, write to the programme's managing agency."
)


def report_problem(request, number):
    """The form to report a problem with a labelled space (also on its public page). A
    robot that fills in the hidden field is thanked and its report dropped."""
    label = get_object_or_404(
        Label.objects.public().select_related("programme", "application"), number=number
    )
    form = VisitorReportForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            if form.is_robot():
                messages.success(request, _("Thank you: your report is sent."))
                return redirect(label)
            source = throttle.pseudonym(throttle.client_ip(request))
            if not (
                throttle.allow("visitor-report-source", source, PER_SOURCE_PER_HOUR)
                and throttle.allow("visitor-report-label", label.number, PER_LABEL_PER_DAY, DAY)
            ):
                form.add_error(None, TOO_MANY)
                status = 429
            else:
                services.report_problem(
                    label,
                    message=form.cleaned_data["message"],
                    name=form.cleaned_data["name"],
                    email=form.cleaned_data["email"],
                    source=source,
                )
                messages.success(
                    request,
                    _(
                        "Thank you: your report is sent to the programme's officers, who will "
                        "look into it."
                    ),
                )
                return redirect(label)
    return render(
        request, "surveillance/report_problem.html", {"label": label, "form": form}, status=status
    )
