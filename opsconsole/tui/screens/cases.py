"""Support cases: what is due first, breaches in red; one case with its notes."""

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from ...views.cases import case as load_case, cases as load_cases, due_text
from .. import look
from ..messages import StoreChanged


class CasesScreen(Screen):
    BINDINGS = [Binding("enter", "open", "Open", id="open-case"),
                Binding("n", "new_case", "New case", id="new-case"),
                Binding("2", "app.switch_mode('cases')", "Cases", show=False,
                        id="cases")]  # here already

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="cases", cursor_type="row", zebra_stripes=True)
        yield Static(id="status")
        yield Footer(compact=True)

    FIXED = [("ID", 4), ("Sev", 10), ("Status", 16), ("Due", 18), ("", 8)]

    def on_mount(self) -> None:
        self.subject_width = 0
        self.cases: list[dict] = []
        self.set_columns()
        self.query_one(DataTable).focus()
        self.reload()

    def set_columns(self) -> None:
        width = max(self.app.size.width - sum(w for _, w in self.FIXED) - 16, 12)
        if width == self.subject_width:
            return
        self.subject_width = width
        table = self.query_one(DataTable)
        table.clear(columns=True)
        look.columns(table, [*self.FIXED, ("Subject", width)])
        if self.cases:
            self.show(self.cases)

    def on_resize(self) -> None:
        self.set_columns()

    def reload(self) -> None:
        self.app.read_core(load_cases, done=self.show)

    def show(self, cases: list[dict]) -> None:
        self.cases = cases
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        error = look.colour(self.app, "error")
        for c in cases:
            if "unreadable" in c:  # named in its place (views/cases), never opened
                table.add_row(str(c["id"]), Text("?", style=error),
                              Text("unreadable", style=error), "", "",
                              look.fit(c["unreadable"], self.subject_width), key=str(c["id"]))
                continue
            breached = Text("BREACHED", style=f"bold {error}") if c["breached"] else ""
            sev = Text(f"{c['severity']} {c['severity_name']}",
                       style=f"bold {error}" if c["severity"] == 0 else "")
            table.add_row(str(c["id"]), sev, c["status"], due_text(c), breached,
                          look.fit(c["subject"], self.subject_width),
                          key=str(c["id"]))
        if cases:
            table.move_cursor(row=min(row, len(cases) - 1))
        late = sum(c.get("breached", False) for c in cases)
        open_ = sum(c.get("status", "Closed") != "Closed" for c in cases)
        self.query_one("#status", Static).update(
            f"{open_} open cases, {late} past a target · by what is due first")

    @on(DataTable.RowSelected)
    def selected(self, event: DataTable.RowSelected) -> None:
        self._open(int(event.row_key.value))

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if table.row_count:
            key = table.coordinate_to_cell_key((table.cursor_row, 0)).row_key
            self._open(int(key.value))

    def _open(self, case_id: int) -> None:
        """The case's page; one the store cannot read is refused where it is, naming why."""
        shown = next((c for c in self.cases if c["id"] == case_id), {})
        if "unreadable" in shown:
            self.notify(shown["unreadable"], title="Refused", severity="error")
        else:
            self.app.push_screen(CaseScreen(case_id))

    def action_new_case(self) -> None:
        from ..modals.cases import NewCaseModal

        self.app.push_screen(NewCaseModal(), self.opened)

    def opened(self, case: dict | None) -> None:
        if case:
            self.notify(f"Case {case['id']} opened, severity {case['severity']} "
                        f"({case['severity_name']}).", title="Support case")
            self.app.store_changed()

    def on_store_changed(self, _: StoreChanged) -> None:
        self.reload()

    def on_screen_resume(self) -> None:
        self.reload()


class CaseScreen(Screen):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back", id="case-back", show=False),
                Binding("s", "status", "Status", id="case-status"),
                Binding("n", "note", "Note", id="case-note"),
                Binding("e", "escalate", "Escalate", id="case-escalate"),
                Binding("v", "survey", "Survey", id="case-survey"),
                *look.global_keys_hidden()]

    def __init__(self, case_id: int):
        super().__init__()
        self.case_id = case_id
        self.case: dict | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="case"):
            yield Static(id="case-overview")
            yield Static(id="case-notes")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        self.app.read_core(load_case, self.case_id, done=self.show)

    def show(self, c: dict) -> None:
        self.case = c
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", justify="right")
        grid.add_column()
        error = look.colour(self.app, "error")
        target = Text(due_text(c))
        if c["breached"]:
            target.append("  BREACHED", style=f"bold {error}")
        rows = [("Case", f"{c['id']} ({c['kind']}) · {c['category']}"),
                ("Subject", c["subject"]),
                ("Status", c["status"]),
                ("Severity", f"{c['severity']} {c['severity_name']} · met: "
                             f"{', '.join(c['qualifications']) or 'none'}"),
                ("Opened", c["opened_at"][:16].replace("T", " ")),
                ("Next target", target),
                ("Subscription", str(c["subscription"] or "—")),
                ("Order", f"{c['order']} · {c['descriptor']}" if c["order"] else "—"),
                ("Description", c["description"] or "—"),
                ("Steps", c["steps"] or "—"),
                ("Attachments", ", ".join(c["attachments"]) or "—")]
        if c["satisfaction"]:
            rows.append(("Survey", f"{c['satisfaction']['score']}/5 "
                                   f"{c['satisfaction']['comment'] or ''}"))
        for label, value in rows:
            grid.add_row(label, look.plain(value))
        self.query_one("#case-overview", Static).update(grid)
        log = Table(box=None, padding=(0, 1), show_header=False, expand=True)
        log.add_column(width=16)
        log.add_column(width=10, style="bold")
        log.add_column(ratio=1)
        for note in c["notes"]:
            log.add_row(note["at"][:16].replace("T", " "), note["side"], look.plain(note["text"]))
        for esc in c["escalations"]:
            log.add_row(esc["at"][:16].replace("T", " "), "escalated",
                        look.plain(f"{esc['who']}: {esc['why']} (severity "
                                   f"{esc['severity_before']} → {esc['severity_after']})"))
        self.query_one("#case-notes", Static).update(log if log.row_count else
                                                     "No notes yet.")

    def on_store_changed(self, _: StoreChanged) -> None:
        self.reload()

    def _open(self, modal) -> None:
        self.app.push_screen(modal, self._changed)

    def _changed(self, case: dict | None) -> None:
        if case:
            self.notify(f"Case {case['id']}: {case['status']}, severity {case['severity']}.",
                        title="Support case")
            self.app.store_changed()

    def action_status(self) -> None:
        from ..modals.cases import StatusModal

        if self.case:
            self._open(StatusModal(self.case_id, self.case["status"]))

    def action_note(self) -> None:
        from ..modals.cases import NoteModal

        self._open(NoteModal(self.case_id))

    def action_escalate(self) -> None:
        from ..modals.cases import EscalateModal

        self._open(EscalateModal(self.case_id))

    def action_survey(self) -> None:
        from ..modals.cases import SurveyModal

        self._open(SurveyModal(self.case_id))
