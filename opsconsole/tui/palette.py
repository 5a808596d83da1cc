"""Textual's command palette, closed once.

Keys typed in a burst reach the palette after the key that closed it: the base palette took a
second Enter as a second pick (its command run again) and a second close (popping the screen
under it, then ending the console)."""

from textual import on
from textual.app import App, SystemCommand
from textual.command import CommandPalette
from textual.message import Message
from textual.widgets import Button, Input, OptionList


class Palette(CommandPalette):
    _picked = False  # not `_closed`: that is the message pump's own

    def dismiss(self, result=None):
        self._picked = True
        return super().dismiss(result)

    @on(Input.Submitted)
    @on(Button.Pressed)
    @on(OptionList.OptionSelected)
    def _after_closing(self, event: Message) -> None:
        """A pick read after the palette has closed does nothing (the base handlers are
        skipped); before, it goes on to them."""
        if self._picked:
            event.stop()
            event.prevent_default()

    def _action_escape(self) -> None:
        if not self._picked:
            super()._action_escape()


class PaletteCommands(App):
    """The console's palette: Textual's, closed once, with the screens, the clock and each
    screen's own actions as commands."""

    def action_command_palette(self) -> None:
        if self.use_command_palette and not Palette.is_open(self):
            self.push_screen(Palette(id="--command-palette"))

    def search_themes(self) -> None:
        from textual.theme import ThemeProvider

        self.push_screen(Palette(providers=[ThemeProvider], placeholder="Search for themes…"))

    def get_system_commands(self, screen):
        """Textual's own commands, the screens, the clock, and this screen's actions."""
        yield from super().get_system_commands(screen)
        for mode, help_text in (("subscriptions", "Every subscription, by next charge date"),
                                ("cases", "Support cases, by what is due first"),
                                ("activity", "Events and emails, newest first"),
                                ("dashboard", "MRR, revenue, the next 30 days, dunning, cases"),
                                ("attention", "Everything waiting for an operator"),
                                ("webhooks", "Endpoints, deliveries and their attempts")):
            yield SystemCommand(f"Go to {mode}", help_text,
                                lambda mode=mode: self.switch_mode(mode))
        yield SystemCommand("Clock: run the next day", "Preview tomorrow's work, then run it",
                            self.action_next_day)
        yield SystemCommand("Clock: run to a date", "Run every day up to a date",
                            self.action_run_to)
        yield SystemCommand("Keys", "The keys of this screen, and how to change them",
                            self.action_keys)
        yield SystemCommand("Clock: rewind to a snapshot…", "Put the whole store back to a saved "
                            "snapshot (R-SNAP-1)", self.action_rewind)
        seen = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            # the screen's own actions, footer or not; the app's are offered above
            if (active.node is screen and binding.description
                    and not binding.action.startswith("app.") and binding.action not in seen):
                seen.add(binding.action)
                yield SystemCommand(binding.description, binding.tooltip or
                                    f"key: {binding.key}",
                                    lambda b=binding: self.run_action(b.action, screen))
