"""Run the test provider: ``python -m tests.oidc_provider.serve``.

Migrates its own SQLite database, creates the people of ``OIDC_PROVIDER_PEOPLE`` and the
portal's client (``OIDC_PROVIDER_CLIENT``: client id, secret, redirect URI, post-logout URI),
then serves on 127.0.0.1 on a free port, which it prints on its first line.
"""

import json
import os
import sys
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.oidc_provider.settings")


class Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass


def main():
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0)
    for person in json.loads(os.environ["OIDC_PROVIDER_PEOPLE"]):
        User.objects.create_user(person["username"], password=person["password"])
    client = json.loads(os.environ["OIDC_PROVIDER_CLIENT"])
    Application.objects.create(
        name="Guichet",
        client_id=client["client_id"],
        client_secret=client["client_secret"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=client["redirect_uri"],
        post_logout_redirect_uris=client["post_logout_redirect_uri"],
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    server = make_server(
        "127.0.0.1", 0, get_wsgi_application(), server_class=Server, handler_class=QuietHandler
    )
    print(server.server_port, flush=True)
    sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - nobody reads the pipe any more
    server.serve_forever()


if __name__ == "__main__":
    main()
