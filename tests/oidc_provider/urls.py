from django.contrib.auth.views import LoginView
from django.http import HttpResponse
from django.urls import include, path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from oauth2_provider.models import Grant


@csrf_exempt
def expire_codes(request):
    """Let every authorisation code issued so far expire (the test of an expired code)."""
    Grant.objects.update(expires=timezone.now() - timezone.timedelta(seconds=1))
    return HttpResponse("expired")


urlpatterns = [
    path("login/", LoginView.as_view(), name="login"),
    path("testing/expire-codes/", expire_codes),
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
]
