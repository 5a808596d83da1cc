"""How things look: state colours from the theme, short flags, money with its currency."""

from rich.text import Text

STATE_COLOURS = {"active": "success", "trial": "accent", "overdue": "error",
                 "paused": "warning", "deactivated": "text-muted"}


def colour(app, name: str) -> str:
    return app.theme_variables.get(name, "")


def state(app, value: str) -> Text:
    return Text(value, style=f"bold {colour(app, STATE_COLOURS.get(value, 'foreground'))}")


def flags(s: dict) -> str:
    parts = []
    if s["state"] == "paused":
        parts.append(f"resumes {s['resume_date'][5:]}")
    elif s["pause_date"]:
        parts.append(f"pause {s['pause_date'][5:]}")
    if s["cancel_date"] and s["state"] != "deactivated":
        parts.append(f"ends {s['cancel_date'][5:]}")
    if s.get("overdue_days") is not None:
        parts.append(f"{s['overdue_days']}d overdue")
    if s["manual_renew"]:
        parts.append("manual")
    return ", ".join(parts)


def money(amount: str, currency: str) -> Text:
    return Text(f"{amount} {currency}", justify="right")
