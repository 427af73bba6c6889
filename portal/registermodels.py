"""The enterprise register: the open-data extract of the Crossroads Bank for Enterprises
(BCE/KBO), as ``manage.py bce_import`` loads it (``portal.registerimport``).

Reference data, below every app that reads it: organisation creation prefills its form from
it and refuses a number the register knows as stopped (``portal.register``), and the daily
surveillance job re-checks label holders against it. Rows keep the register's own codes;
their words, in French, Dutch, German and English, are in ``RegisterCode`` (code.csv).
docs/enterprise-register.md describes the extract and what we keep of it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegisterExtract(models.Model):
    """One extract loaded (meta.csv): the register's sequence number, its kind and date, and
    how many rows of each file went in. The newest tells whether a register is loaded."""

    class Kind(models.TextChoices):
        FULL = "full", _("full extract")
        UPDATE = "update", _("update")

    number = models.PositiveIntegerField(_("extract number"))
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    snapshot_date = models.DateField(_("snapshot date"))
    extracted_at = models.CharField(_("extract timestamp"), max_length=40, blank=True)
    version = models.CharField(_("format version"), max_length=20, blank=True)
    counts = models.JSONField(_("rows loaded per file"), default=dict)
    loaded_at = models.DateTimeField(_("loaded on"), auto_now_add=True)

    class Meta:
        verbose_name = _("register extract")
        verbose_name_plural = _("register extracts")
        ordering = ["-number", "-pk"]

    def __str__(self) -> str:
        return f"{self.number} ({self.get_kind_display()}, {self.snapshot_date:%d/%m/%Y})"


class EnterpriseQuerySet(models.QuerySet):
    def stopped(self) -> "EnterpriseQuerySet":
        """Enterprises the register no longer counts as active: gone from the extract, a
        status other than active, or a juridical situation that ends the enterprise
        (``portal.register.STOPPING_SITUATIONS``; ``Enterprise.stop_reason`` is its twin)."""
        from portal.register import STOPPING_SITUATIONS

        return self.filter(
            models.Q(left_register_on__isnull=False)
            | ~models.Q(status=Enterprise.ACTIVE)
            | models.Q(juridical_situation__in=STOPPING_SITUATIONS)
        )


class Enterprise(models.Model):
    """A registered entity of enterprise.csv, by its ten-digit number. One that leaves the
    extract (the open data lists active entities only) is kept with ``left_register_on``,
    so that a number once known is recognised as stopped rather than unknown."""

    ACTIVE = "AC"

    number = models.CharField(_("enterprise number"), max_length=10, primary_key=True)
    status = models.CharField(_("status"), max_length=2)
    juridical_situation = models.CharField(_("juridical situation"), max_length=3)
    type_of_enterprise = models.CharField(_("type of enterprise"), max_length=1)
    juridical_form = models.CharField(_("legal form"), max_length=3, blank=True)
    juridical_form_cac = models.CharField(
        _("legal form under the Code of Companies and Associations"), max_length=3, blank=True
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    left_register_on = models.DateField(_("left the register on"), null=True, blank=True)

    objects = EnterpriseQuerySet.as_manager()

    class Meta:
        verbose_name = _("registered enterprise")
        verbose_name_plural = _("registered enterprises")
        ordering = ["number"]

    def __str__(self) -> str:
        return self.number

    @property
    def stop_reason(self) -> str | None:
        """Why the register counts this enterprise as stopped, in words; None if active."""
        from portal.register import stop_reason

        return stop_reason(self)


class Denomination(models.Model):
    """A name of an enterprise (denomination.csv): its name, abbreviation or trade name."""

    number = models.CharField(_("enterprise number"), max_length=10, db_index=True)
    language = models.CharField(_("language"), max_length=1)
    type = models.CharField(_("type of name"), max_length=3)
    name = models.CharField(_("name"), max_length=320)

    class Meta:
        verbose_name = _("registered name")
        verbose_name_plural = _("registered names")

    def __str__(self) -> str:
        return self.name


class EnterpriseAddress(models.Model):
    """An address of an enterprise (address.csv): its registered seat (REGO) or branch."""

    number = models.CharField(_("enterprise number"), max_length=10, db_index=True)
    type = models.CharField(_("type of address"), max_length=4)
    country_nl = models.CharField(max_length=100, blank=True)
    country_fr = models.CharField(max_length=100, blank=True)
    zipcode = models.CharField(_("postcode"), max_length=20, blank=True)
    municipality_nl = models.CharField(max_length=200, blank=True)
    municipality_fr = models.CharField(max_length=200, blank=True)
    street_nl = models.CharField(max_length=200, blank=True)
    street_fr = models.CharField(max_length=200, blank=True)
    house_number = models.CharField(max_length=22, blank=True)
    box = models.CharField(max_length=20, blank=True)
    extra = models.CharField(max_length=80, blank=True)
    struck_off_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("registered address")
        verbose_name_plural = _("registered addresses")

    def __str__(self) -> str:
        return f"{self.street_fr or self.street_nl} {self.house_number}, {self.zipcode}"


class Activity(models.Model):
    """An activity of an enterprise (activity.csv): a NACE-BEL code of a version (2003,
    2008, 2025), in an activity group (VAT, social security…), main, secondary or ancillary."""

    number = models.CharField(_("enterprise number"), max_length=10, db_index=True)
    activity_group = models.CharField(_("activity group"), max_length=3)
    nace_version = models.CharField(_("NACE version"), max_length=4)
    nace_code = models.CharField(_("NACE code"), max_length=8)
    classification = models.CharField(_("classification"), max_length=4)

    class Meta:
        verbose_name = _("registered activity")
        verbose_name_plural = _("registered activities")

    def __str__(self) -> str:
        return f"{self.nace_code} ({self.nace_version})"


class RegisterCode(models.Model):
    """The words of a code of the register (code.csv) in one language: a legal form, a
    juridical situation, a NACE code (category ``Nace2025``…)."""

    category = models.CharField(_("category"), max_length=40)
    code = models.CharField(_("code"), max_length=20)
    language = models.CharField(_("language"), max_length=2)
    description = models.TextField(_("description"))

    class Meta:
        verbose_name = _("register code")
        verbose_name_plural = _("register codes")
        constraints = [
            models.UniqueConstraint(
                fields=["category", "code", "language"], name="one_register_code_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.category} {self.code} ({self.language})"
