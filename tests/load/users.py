"""The simulated people of the load run and the ledger of the writes they attempted.

Each person is a thread with their own browser that signs in once, then repeats a cycle of
what that role does, with a pause between pages: founders fill and submit dossiers,
reviewers score, officers read lists, rankings and exports, ministry staff read statistics
and the programme report. Every write is entered in the :class:`Ledger` with its outcome, so
that the database can be checked afterwards (``tests.load.verify``).
"""

import html
import itertools
import random
import re
import threading
import time
from dataclasses import dataclass, field

from tests.load.client import Browser, Response, find_form

# A minimal PDF: uploads are sniffed from their content, not their name.
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class Stop(Exception):
    """The run is over: the person leaves after the current page."""


@dataclass
class Attempt:
    """One write a person tried: ``outcome`` is accepted (the portal confirmed it), refused
    (it answered with the form again) or unknown (no answer or a server error)."""

    seq: int
    subject: str  # application | document | answers | review
    key: tuple
    values: dict
    outcome: str
    phase: str
    status: int


@dataclass
class Ledger:
    attempts: list[Attempt] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _seq: itertools.count = field(default_factory=itertools.count)

    def add(self, subject: str, key: tuple, values: dict, response: Response, outcome: str):
        """Enter a write with its outcome, the phase and the status of its answer."""
        with self._lock:
            self.attempts.append(
                Attempt(
                    next(self._seq),
                    subject,
                    key,
                    values,
                    outcome,
                    response.phase,
                    response.status,
                )
            )


def outcome(response: Response, accepted: tuple[int, ...] = (302,)) -> str:
    if response.status == 0 or response.status >= 500 or response.truncated:
        return "unknown"
    if response.status in accepted:
        return "accepted"
    return "refused"


class Person(threading.Thread):
    """A signed-in person repeating their role's cycle until the run stops."""

    role = "person"

    def __init__(self, email, password, browser: Browser, ledger, go, stop, think, seed, delay):
        super().__init__(name=email, daemon=True)
        self.email, self.password = email, password
        self.browser, self.ledger, self.go, self.stop = browser, ledger, go, stop
        self.think_range = think
        self.random = random.Random(seed)
        self.delay = delay
        self.signed_in = threading.Event()

    def run(self):
        """Sign in, wait until everyone has (``go``), then work until ``stop``."""
        try:
            self.pause(self.delay)
            while not self.browser.sign_in(f"{self.role}: sign in", self.email, self.password):
                self.pause()
            self.signed_in.set()
            while not self.go.wait(0.1):
                if self.stop.is_set():
                    raise Stop
            while True:
                self.cycle()
        except Stop:
            return

    def pause(self, seconds: float | None = None) -> None:
        if seconds is None:
            seconds = self.random.uniform(*self.think_range)
        if self.stop.wait(seconds):
            raise Stop

    def cycle(self) -> None:
        raise NotImplementedError

    # Small helpers that read like a person's clicks -----------------------------------

    def open(self, kind: str, path: str, expect=(200,)) -> Response:
        self.pause()
        return self.browser.get(f"{self.role}: {kind}", path, expect=expect)

    def send(self, kind: str, path: str, pairs, expect=(302,), files=None, wait=True) -> Response:
        if wait:
            self.pause()
        if files:
            return self.browser.post_files(f"{self.role}: {kind}", path, pairs, files, expect)
        return self.browser.post(f"{self.role}: {kind}", path, pairs, expect)

    def follow(self, kind: str, response: Response) -> None:
        """Open the page a successful POST redirected to, as a browser does."""
        if response.status == 302 and response.location:
            self.browser.get(f"{self.role}: {kind}", response.location)

    def record(self, subject, key, values, response, accepted=(302,)) -> bool:
        result = outcome(response, accepted)
        self.ledger.add(subject, key, values, response, result)
        return result == "accepted"


# A field of each section, to find its form among the page's others (language, sign-out).
SECTION_FIELDS = {
    "project": "project_title",
    "address": "street",
    "funding": "total_cost",
    "space": "surface_m2",
    "community": "target_public",
    "business": "business_model",
}


class Founder(Person):
    """Fills the funding and business sections of the seeded draft and submits it; then
    starts new dossiers on the open call, fills every section (the core ones and the call's
    coworking form), uploads the documents, answers the eligibility questions and submits,
    again and again."""

    role = "founder"

    def __init__(
        self,
        *args,
        application: int,
        call: str,
        document_types: list[int],
        form_sections: list[int],
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.application: int | None = application
        self.call, self.document_types = call, document_types
        # The coworking form's sections by name: space, community, business.
        self.form_sections = dict(
            zip(("space", "community", "business"), form_sections, strict=True)
        )
        self.version = 0
        self.first = True

    def cycle(self):
        self.follow("dashboard", self.open("dashboard redirect", "/dashboard/", expect=(302,)))
        if self.application is None and not self.start_dossier():
            return
        sections = (
            ["project", "funding", "business", "project"]
            if self.first
            else ["project", "address", "funding", "space", "community", "business", "project"]
        )
        done = self.open("dossier", f"/applications/{self.application}/").status == 200
        done = done and all(self.save_section(section) for section in sections)
        if done and not self.first:
            done = self.upload_documents() and self.answer_questions()
        if done:
            self.submit()
        self.application, self.first = None, False

    def start_dossier(self) -> bool:
        self.open("call page", f"/calls/{self.call}/")
        page = self.open("start dossier", f"/calls/{self.call}/apply/")
        form = find_form(page.text, "organisation")
        if form is None:
            return False
        answer = self.send("start dossier", f"/calls/{self.call}/apply/", form.filled({}))
        parts = answer.location.strip("/").split("/")
        if answer.status != 302 or len(parts) != 2 or not parts[1].isdigit():
            self.ledger.add("application", (0,), {}, answer, outcome(answer))
            return False
        self.application = int(parts[1])
        self.record("application", (self.application,), {"exists": True}, answer)
        self.follow("dossier", answer)
        return True

    def section_values(self, section: str, form) -> dict:
        self.version += 1
        mark = f"{self.email} v{self.version}"
        if section == "project":
            return {
                "project_title": f"Espace partagé — {mark}",
                "summary": f"Un espace de coworking ouvert et animé ({mark}).",
            }
        if section == "address":
            return {
                "street": f"Rue de Fer {self.version}",
                "postcode": "5000",
                "municipality": "Namur",
            }
        if section == "funding":
            return {"total_cost": "240000", "requested_amount": str(50000 + self.version)}
        if section == "space":
            services = form.options.get("services", [])
            return {
                "surface_m2": str(300 + self.version),
                "desks": str(20 + self.version % 10),
                "meeting_rooms": "2",
                "opening_hours": f"Du lundi au vendredi, de 8 h à 19 h ({mark})",
                "services": self.random.sample(services, k=min(2, len(services))),
            }
        if section == "community":
            return {"target_public": f"Indépendants ({mark})", "partners": f"Ville ({mark})"}
        return {
            "business_model": f"Abonnements et événements ({mark})",
            "budget_plan": f"Aménagement et animation ({mark})",
        }

    def save_section(self, section: str) -> bool:
        if section in self.form_sections:
            path = f"/applications/{self.application}/answers/{self.form_sections[section]}/"
        else:
            path = f"/applications/{self.application}/edit/{section}/"
        page = self.open(f"section form ({section})", path)
        form = find_form(page.text, SECTION_FIELDS[section]) if page.status == 200 else None
        if form is None:
            return False
        values = self.section_values(section, form)
        answer = self.send("save section", path, form.filled(values))
        accepted = self.record("application", (self.application,), values, answer)
        self.follow("dossier", answer)
        return accepted

    def upload_documents(self) -> bool:
        for type_pk in self.document_types:
            path = f"/applications/{self.application}/documents/types/{type_pk}/"
            page = self.open("upload form", path)
            form = find_form(page.text, "csrfmiddlewaretoken") if page.status == 200 else None
            if form is None:
                return False
            files = {"file": (f"piece-{type_pk}.pdf", PDF, "application/pdf")}
            answer = self.send("upload document", path, form.filled({}), files=files)
            if not self.record("document", (self.application, type_pk), {"present": True}, answer):
                return False
            self.follow("dossier", answer)
        return True

    def answer_questions(self) -> bool:
        path = f"/applications/{self.application}/eligibility/"
        page = self.open("eligibility form", path)
        form = find_form(page.text, "csrfmiddlewaretoken") if page.status == 200 else None
        if form is None:
            return False
        questions = [name for name in form.options if name.startswith("question_")]
        values = dict.fromkeys(questions, "yes")
        answer = self.send("answer eligibility", path, form.filled(values))
        accepted = self.record("answers", (self.application,), values, answer)
        self.follow("dossier", answer)
        return accepted

    def submit(self) -> bool:
        path = f"/applications/{self.application}/submit/"
        page = self.open("submit page", path)
        form = find_form(page.text, "declaration") if page.status == 200 else None
        if form is None:
            return False
        answer = self.send("submit dossier", path, form.filled({"declaration": "on"}))
        accepted = self.record("application", (self.application,), {"submitted": True}, answer)
        self.follow("dossier", answer)
        return accepted


class Reviewer(Person):
    """Opens each accepted assignment, saves draft scores, then submits the review; once
    every review is done, rereads the assignments."""

    role = "reviewer"

    def __init__(self, *args, assignments: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.todo = list(assignments)
        self.done: list[int] = []

    def cycle(self):
        self.open("assignments", "/review/")
        if not self.todo:
            if self.done:
                self.open("submitted review", f"/review/{self.random.choice(self.done)}/")
            return
        pk = self.todo.pop(0)
        path = f"/review/{pk}/"
        if self.score(path, pk, "save") and self.score(path, pk, "submit"):
            self.done.append(pk)

    def score(self, path: str, pk: int, button: str) -> bool:
        page = self.open("score page", path)
        form = find_form(page.text, "overall_comment") if page.status == 200 else None
        if form is None:
            return False
        values = {
            name: str(self.random.choice(range(10, 21)) / 2)
            for name in form.names()
            if name.startswith("score_")
        }
        values |= {
            name.replace("score_", "comment_"): f"{self.email}: {button} {value}"
            for name, value in values.items()
        }
        recommendations = [value for value in form.options.get("recommendation", []) if value]
        values["overall_comment"] = f"Avis de {self.email} ({button})"
        values["recommendation"] = self.random.choice(recommendations)
        answer = self.send(f"{button} review", path, form.filled({**values, button: ""}))
        if button == "submit":
            values["submitted"] = True
        # A refused submit may still have saved the scores: its outcome is not known.
        result = outcome(answer)
        if result == "refused" and button == "submit":
            result = "unknown"
        self.ledger.add("review", (pk,), values, answer, result)
        self.follow("score page", answer)
        return result == "accepted"


class Officer(Person):
    """Reads the dossier list with filters, the rankings, the reports list and exports."""

    role = "officer"

    def __init__(self, *args, open_call: str, closed_call: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.open_call, self.closed_call = open_call, closed_call

    def cycle(self):
        call = f"/staff/calls/{self.open_call}/"
        filters = ["", "?state=submitted", "?q=Espace", "?province=NAM", "?state=in_review"]
        self.open("dossier list", call + self.random.choice(filters))
        self.open("dossier list", call + "?page=2", expect=(200, 404))
        ranked = self.random.choice([self.open_call, self.closed_call])
        self.open("ranking", f"/staff/calls/{ranked}/ranking/")
        reports = self.random.choice(["", "?state=accepted", "?overdue=on"])
        self.open("reports list", f"/staff/reports/{reports}")
        self.open("export csv", call + "export.csv?state=submitted")
        self.open("export xlsx", f"/staff/calls/{self.closed_call}/export.xlsx")
        self.open("export csv", "/staff/reports/export.csv")


class Ministry(Person):
    """Reads the statistics page and downloads the programme report PDF."""

    role = "ministry"

    def __init__(self, *args, programme: int, closed_call: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme, self.closed_call = programme, closed_call

    def cycle(self):
        self.follow("dashboard", self.open("dashboard redirect", "/dashboard/", expect=(302,)))
        query = self.random.choice(["", f"?programme={self.programme}&year=2012"])
        self.open("statistics", "/staff/statistics/" + query)
        self.open("programme report pdf", "/staff/statistics/report.pdf" + query)
        self.open("ranking", f"/staff/calls/{self.closed_call}/ranking/")


# The deadline-day rush (SCENARIO=rush) ---------------------------------------------------

# What the portal answers, in French (its language when the browser asks for none): the
# message after a submission, and the reason it refuses one once the call is closed
# (tests/load/test_rush.py keeps them equal to the translations).
CONFIRMED = "Votre dossier est déposé sous la référence"
CALL_CLOSED = "L'appel est clôturé : la date limite de dépôt est dépassée."


def shown_text(response: Response) -> str:
    """The page's text as read: entities decoded, non-breaking spaces as spaces."""
    return html.unescape(response.text).replace("\xa0", " ").replace("\u202f", " ")


@dataclass
class Submission:
    """One press of "Submit the application" in the rush: when it left and came back (epoch
    seconds), its answer, and what the page said: ``confirmed`` (the redirect to the
    dossier, with the confirmation), ``refused`` (the call-closed reason) or ``other``."""

    email: str
    application: int
    planned_late: bool
    sent: float
    answered: float
    status: int
    verdict: str
    reference: str = ""


@dataclass
class Submissions:
    items: list[Submission] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, submission: Submission) -> None:
        with self._lock:
            self.items.append(submission)


def verdict(answer: Response, followed: Response | None) -> tuple[str, str]:
    """``confirmed`` with the reference, ``refused`` (call closed) or ``other``."""
    if answer.status == 302 and followed is not None and followed.status == 200:
        found = re.search(re.escape(CONFIRMED) + r" ([\w-]+)", shown_text(followed))
        if found:
            return "confirmed", found[1]
    if answer.status == 200 and CALL_CLOSED in shown_text(answer):
        return "refused", ""
    return "other", ""


class RushFounder(Person):
    """Comes at ``start_at`` (epoch seconds), signs in, writes the business plan's last
    answer, uploads the three documents and submits; a late one keeps the submission page
    open and presses the button only at ``submit_at``, after the deadline."""

    role = "founder"

    def __init__(
        self,
        *args,
        application: int,
        business_section: int,
        document_types: list[int],
        start_at: float,
        submit_at: float | None,
        submissions: Submissions,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.application, self.business_section = application, business_section
        self.document_types = document_types
        self.start_at, self.submit_at = start_at, submit_at
        self.submissions = submissions
        self.token = ""

    def run(self):
        try:
            self.wait_until(self.start_at)
            while not self.browser.sign_in(f"{self.role}: sign in", self.email, self.password):
                self.pause()
            self.signed_in.set()
            if self.finish_business() and self.upload_documents():
                self.submit()
        except Stop:
            return

    def wait_until(self, moment: float) -> None:
        if self.stop.wait(max(0.0, moment - time.time())):
            raise Stop

    def form(self, kind: str, path: str, containing: str):
        page = self.open(kind, path)
        form = find_form(page.text, containing) if page.status == 200 else None
        if form is not None:
            self.token = form.value("csrfmiddlewaretoken") or self.token
        return form

    def finish_business(self) -> bool:
        self.open("dossier", f"/applications/{self.application}/")
        path = f"/applications/{self.application}/answers/{self.business_section}/"
        form = self.form("section form (business)", path, "budget_plan")
        if form is None:
            return False
        values = {
            "business_model": f"Abonnements et événements ({self.email})",
            "budget_plan": f"Aménagement et animation, bouclé à la dernière minute ({self.email})",
        }
        answer = self.send("save section", path, form.filled(values))
        accepted = self.record("application", (self.application,), values, answer)
        self.follow("dossier", answer)
        return accepted

    def upload_documents(self) -> bool:
        for type_pk in self.document_types:
            path = f"/applications/{self.application}/documents/types/{type_pk}/"
            form = self.form("upload form", path, "csrfmiddlewaretoken")
            if form is None:
                return False
            files = {"file": (f"piece-{type_pk}.pdf", PDF, "application/pdf")}
            answer = self.send("upload document", path, form.filled({}), files=files)
            if not self.record("document", (self.application, type_pk), {"present": True}, answer):
                return False
            self.follow("dossier", answer)
        return True

    def submit(self) -> None:
        path = f"/applications/{self.application}/submit/"
        form = self.form("submit page", path, "declaration")
        if self.submit_at is not None:
            self.wait_until(self.submit_at)
        else:
            self.pause()
        # A page opened after the deadline has no button: the browser's tab, opened a moment
        # earlier, still has one, which is what a late founder presses.
        pairs = (
            form.filled({"declaration": "on"})
            if form is not None
            else [("csrfmiddlewaretoken", self.token), ("declaration", "on")]
        )
        sent = time.time()
        answer = self.send("submit dossier", path, pairs, expect=(302, 200), wait=False)
        answered = time.time()
        followed = None
        if answer.status == 302 and answer.location:
            followed = self.browser.get(f"{self.role}: dossier", answer.location)
        result, reference = verdict(answer, followed)
        self.submissions.add(
            Submission(
                self.email,
                self.application,
                self.submit_at is not None,
                sent,
                answered,
                answer.status,
                result,
                reference,
            )
        )
        outcomes = {"confirmed": "accepted", "refused": "refused", "other": "unknown"}
        self.ledger.add(
            "application", (self.application,), {"submitted": True}, answer, outcomes[result]
        )


class RushOfficer(Person):
    """Reads the open call's dossier list with filters while the founders rush."""

    role = "officer"

    def __init__(self, *args, open_call: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.open_call = open_call

    def cycle(self):
        call = f"/staff/calls/{self.open_call}/"
        filters = ["", "?state=submitted", "?state=draft", "?q=derni%C3%A8re", "?province=NAM"]
        self.open("dossier list", call + self.random.choice(filters))
        self.open("dossier list", call + "?state=submitted&page=2", expect=(200, 404))
