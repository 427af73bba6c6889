from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from django.db.backends.signals import connection_created

        from portal import (
            accessibility,
            account_messages,
            database_csv,
            messages,
            navigation,
            privacy,
        )

        privacy.register(privacy.PORTAL)
        messages.register(*account_messages.MESSAGES)
        navigation.add_footer_line(
            navigation.FooterLine(_("Personal data:"), ((_("Privacy notice"), "portal:privacy"),))
        )
        navigation.add_footer_line(
            navigation.FooterLine(
                _("Accessibility: partially conformant."),
                ((_("Accessibility statement"), "portal:accessibility"),),
            )
        )
        messages.register(accessibility.MESSAGE)
        connection_created.connect(database_csv.add_sqlite_functions)
        # reportlab checks every attribute set on a drawing's shapes against its declared
        # type: a development aid that costs a quarter of a certificate's time (the QR code
        # is a thousand squares) and of each chart's.
        from reportlab import rl_config

        rl_config.shapeChecking = 0
