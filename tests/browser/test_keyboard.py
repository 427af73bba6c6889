"""The founder's journey with the keyboard alone: sign in, start a dossier on an open call,
fill a section, attach a document and submit, with Tab, Shift+Tab, Enter, Space and typing
only; every control the focus reaches on the way shows it (an outline or a ring)."""

from decimal import Decimal

from playwright.sync_api import expect

from applications.models import Application
from tests.factories import (
    PASSWORD,
    CallFactory,
    DocumentTypeFactory,
    MembershipFactory,
    pdf_upload,
)

# The focused element, its name as a person reads it, and whether its focus can be seen.
FOCUSED = """() => {
  const element = document.activeElement;
  if (!element || element === document.body) return null;
  const style = getComputedStyle(element);
  const label = element.labels && element.labels.length ? element.labels[0].textContent : "";
  const name =
    element.getAttribute("aria-label") || label || element.textContent || element.value || "";
  return {
    name: name.replace(/\\s+/g, " ").trim(),
    tag: element.tagName.toLowerCase(),
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
    ring: style.boxShadow !== "none",
    focusVisible: element.matches(":focus-visible"),
  };
}"""


class Keyboard:
    """Moves the focus with Tab (or Shift+Tab) until it reaches a control, checking on the
    way that every control it reaches shows that it has the focus."""

    def __init__(self, page):
        self.page = page
        self.reached = []

    def focused(self):
        return self.page.evaluate(FOCUSED)

    def tab_to(self, name: str, *, backwards: bool = False, limit: int = 80) -> dict:
        for _ in range(limit):
            self.page.keyboard.press("Shift+Tab" if backwards else "Tab")
            focused = self.focused()
            if focused is None:
                continue
            self.reached.append(focused["name"])
            assert focused["focusVisible"], f"{focused} is focused but :focus-visible is off"
            assert focused["outline"] or focused["ring"], f"no visible focus on {focused}"
            if focused["name"] == name or focused["name"].startswith(f"{name} "):
                return focused
        raise AssertionError(f"Tab never reached “{name}”; reached {self.reached[-limit:]}")

    def activate(self, name: str, **kwargs) -> None:
        """Follow the link or press the button ``name`` with Enter: a new page loads."""
        self.tab_to(name, **kwargs)
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")

    def toggle(self, name: str) -> None:
        """Tick or untick the checkbox ``name`` with Space."""
        self.tab_to(name)
        self.page.keyboard.press("Space")

    def type_into(self, name: str, value: str) -> None:
        self.tab_to(name)
        self.page.keyboard.type(value)


def test_a_founder_applies_attaches_and_submits_with_the_keyboard_alone(page, tmp_path):
    call = CallFactory(title="Espaces de coworking 2027")
    DocumentTypeFactory(call=call, name="Plan financier sur trois ans")
    founder = MembershipFactory(organisation__legal_name="Cœur de Ville ASBL").user
    plan = tmp_path / "plan-financier.pdf"
    plan.write_bytes(pdf_upload().read())
    keys = Keyboard(page)

    page.goto("/accounts/sign-in/")
    keys.type_into("Adresse e-mail", founder.email)
    keys.type_into("Mot de passe", PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Mes dossiers")).to_be_visible()

    page.goto(call.get_absolute_url())
    keys.activate("Déposer un dossier")
    keys.activate("Créer le brouillon")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    application = Application.objects.get()

    keys.activate("Modifier Le projet")
    keys.type_into("Titre du projet", "Un tiers-lieu au cœur de Namur")
    keys.type_into("Résumé du projet", "Un espace ouvert et animé.")
    # Back up to the title with Shift+Tab, then on to the button.
    keys.tab_to("Titre du projet", backwards=True)
    keys.activate("Enregistrer cette section")
    expect(page.get_by_text("Section enregistrée et complète.")).to_be_visible()

    # The address and the amounts were filled in an earlier session.
    Application.objects.filter(pk=application.pk).update(
        street="Rue de Fer 1",
        postcode="5000",
        municipality="Namur",
        total_cost=Decimal("240000"),
        requested_amount=Decimal("80000"),
    )
    page.reload()

    keys.activate("Joindre Plan financier sur trois ans")
    keys.tab_to("Fichier")
    # The system's file picker cannot be driven; the file goes to the focused input.
    page.locator(":focus").set_input_files(str(plan))
    keys.activate("Joindre ce fichier")
    expect(page.get_by_role("link", name="plan-financier.pdf")).to_be_visible()

    keys.activate("Relire et déposer le dossier")
    keys.toggle("Je déclare sur l'honneur")
    expect(page.get_by_label("Je déclare sur l'honneur")).to_be_checked()
    keys.activate("Déposer le dossier")

    expect(page.get_by_text("Votre dossier est déposé sous la référence")).to_be_visible()
    application.refresh_from_db()
    assert application.state == "submitted"
    # The focus went through the skip link, the header, the forms and the file input,
    # visibly at each stop.
    assert {"Aller au contenu principal", "Se déconnecter", "Fichier", "Déposer le dossier"} <= set(
        keys.reached
    )
