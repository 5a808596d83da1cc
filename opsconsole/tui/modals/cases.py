"""Case forms: a new case (severity shown live from the qualification areas), and the moves
on one case: status, note, escalate, survey."""

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from ...cases import rules
from ..widgets import Field
from .base import Dialog


class CaseForm(Dialog[dict]):
    """Shared shape: a title, fields, a message line, and confirm/back buttons."""

    PREVIEW = "#form-message"
    PREVIEWED = False
    TITLE_TEXT = ""
    CONFIRM_LABEL = "Save"

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(self.TITLE_TEXT, classes="dialog-title")
            yield from self.fields()
            yield Static(id="form-message", classes="preview")
            with Horizontal(classes="buttons"):
                yield Button(self.CONFIRM_LABEL, variant="primary", id="confirm")
                yield Button("Back (esc)", id="back")

    def fields(self) -> ComposeResult:
        yield from ()



class NewCaseModal(CaseForm):
    TITLE_TEXT = "New support case"
    CONFIRM_LABEL = "Open case"

    def fields(self) -> ComposeResult:
        yield Field(id="subject", placeholder="Subject")
        with Horizontal(classes="field"):
            yield Select([(c, c) for c in rules.CATEGORIES], id="category", prompt="Category")
            yield Field(id="sub", placeholder="Sub ID")
        yield Field(id="description", placeholder="Description")
        yield Field(id="steps", placeholder="Steps to reproduce")
        with Horizontal(id="areas"):
            for area in rules.AREAS:
                yield Checkbox(area.capitalize(), id=f"q-{area}")
        yield Static(id="severity")

    def on_mount(self) -> None:
        self.query_one("#subject", Input).focus()
        self.show_severity()

    def areas(self) -> list[str]:
        return [a for a in rules.AREAS if self.query_one(f"#q-{a}", Checkbox).value]

    @on(Checkbox.Changed)
    def show_severity(self) -> None:
        level = rules.severity_for(len(self.areas()))
        hours = rules.RESPONSE_HOURS[level]
        self.query_one("#severity", Static).update(
            f"Severity [b]{level} {rules.SEVERITY_NAMES[level]}[/b] "
            f"({len(self.areas())} of 4 areas met) · first response within {hours} h")

    @on(Button.Pressed, "#confirm")
    def confirm(self) -> None:
        from ...cases import actions

        category = self.query_one("#category", Select)
        value = lambda name: self.query_one(f"#{name}", Input).value.strip()  # noqa: E731
        self.submit(
            actions.open_case, value("subject"),
            "" if category.is_blank() else category.value, value("description"),
            value("steps"), None, value("sub") or None, qualify=",".join(self.areas()),
            operator=self.app.operator)


class StatusModal(CaseForm):
    TITLE_TEXT = "Move the case"
    CONFIRM_LABEL = "Move"

    def __init__(self, case_id: int, current: str):
        super().__init__()
        self.case_id, self.current = case_id, current

    def fields(self) -> ComposeResult:
        yield Label(f"Now {self.current}. Closed is final: a closed case cannot be reopened.")
        yield Select([(s, s) for s in rules.STATUSES if s != self.current], id="new-status",
                     prompt="New status")

    @on(Button.Pressed, "#confirm")
    def confirm(self) -> None:
        from ...cases import actions

        status = self.query_one("#new-status", Select)
        self.submit(actions.set_status, self.case_id,
                    "" if status.is_blank() else status.value, self.app.operator)


class NoteModal(CaseForm):
    TITLE_TEXT = "Add a note"
    CONFIRM_LABEL = "Add note"

    def __init__(self, case_id: int):
        super().__init__()
        self.case_id = case_id

    def fields(self) -> ComposeResult:
        yield Field(id="text", placeholder="The note")
        yield Select([("From support (a response and an update)", "support"),
                      ("From the customer", "customer")], id="side", value="support",
                     allow_blank=False)

    def on_mount(self) -> None:
        self.query_one("#text", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#confirm")
    def confirm(self) -> None:
        from ...cases import actions

        self.submit(actions.add_note, self.case_id, self.query_one("#text", Input).value,
                    self.query_one("#side", Select).value, self.app.operator)


class EscalateModal(CaseForm):
    TITLE_TEXT = "Raise the priority"
    CONFIRM_LABEL = "Escalate"

    def __init__(self, case_id: int):
        super().__init__()
        self.case_id = case_id

    def fields(self) -> ComposeResult:
        yield Label("Severity moves up one level; who and why are recorded.")
        yield Field(id="why", placeholder="Why")

    def on_mount(self) -> None:
        self.query_one("#why", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#confirm")
    def confirm(self) -> None:
        from ...cases import actions

        self.submit(actions.escalate, self.case_id, self.query_one("#why", Input).value,
                    self.app.operator)


class SurveyModal(CaseForm):
    TITLE_TEXT = "Satisfaction survey"
    CONFIRM_LABEL = "Record"

    def __init__(self, case_id: int):
        super().__init__()
        self.case_id = case_id

    def fields(self) -> ComposeResult:
        yield Select([(str(n), n) for n in range(1, 6)], id="score", prompt="Score, 1 to 5")
        yield Field(id="comment", placeholder="Comment (optional)")

    @on(Button.Pressed, "#confirm")
    def confirm(self) -> None:
        from ...cases import actions

        score = self.query_one("#score", Select)
        if score.is_blank():
            self.refuse("Pick a score from 1 to 5.")
            return
        self.submit(actions.survey, self.case_id, score.value,
                    self.query_one("#comment", Input).value.strip() or None,
                    self.app.operator)
