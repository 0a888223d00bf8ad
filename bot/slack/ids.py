"""Every callback id and action id the Slack surface uses; the manifest names the same ones."""

from enum import StrEnum


class CallbackId(StrEnum):
    """Views and shortcuts."""

    FORM = "yc_form"
    RESULT = "yc_result"
    REPORT_FROM_MESSAGE = "yc_report_from_message"


class ActionId(StrEnum):
    """Interactive elements; buttons and fields carry a suffix after the prefix."""

    BUTTON_PREFIX = "yc_button:"
    CLIENT_FIELD = "client"
    # A form's choice that other fields depend on (the report's category): changing it in a
    # modal redraws the modal.
    FORM_FIELD_PREFIX = "yc_field:"


class SlashCommand(StrEnum):
    """The slash commands, as the manifest declares them."""

    REPORT = "/report-client"
    CLIENT = "/client"
