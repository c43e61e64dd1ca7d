"""Validators shared by the apps."""
import re

from django.core.exceptions import ValidationError

# C0 and C1 control characters (line breaks and tabs included) and the Unicode
# line and paragraph separators: none belongs in a one-line text such as a title.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def validate_single_line(value: str) -> None:
    """Refuses line breaks and other control characters in a one-line field; in
    a calendar file they would end the line and start a property of their own."""
    if value and CONTROL_CHARACTERS.search(value):
        raise ValidationError(
            "Texten får inte innehålla radbrytningar eller andra styrtecken (t.ex. tabb); skriv den på en rad.",
            code="control_characters",
        )


def single_line(value: str) -> str:
    """`value` with each run of control characters replaced by one space."""
    return " ".join(CONTROL_CHARACTERS.sub(" ", value or "").split())
