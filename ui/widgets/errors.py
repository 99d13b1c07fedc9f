"""Headlines for the failure kinds the core reports, in the user's language.

The core's messages are English sentences with the specifics (paths, sizes, server names); the
UI puts a translated headline for the *kind* above them, so a user reading Chinese still knows
what happened and what to do, and the detail stays exact for a bug report.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

translate = QCoreApplication.translate


def headline(kind: str) -> str:
    """A translated one-line summary for ``kind``, or "" when the UI has none for it."""
    texts = {
        # chat / engine
        "crashed": translate(
            "Errors",
            "The model stopped unexpectedly. The reply so far is kept; your next message "
            "restarts the model.",
        ),
        "storage": translate("Errors", "Could not save. Your text is kept in the box below."),
        "model_missing": translate("Errors", "No model is available. Choose one on the Models page."),
        "load_failed": translate("Errors", "The model could not be loaded."),
        "template": translate("Errors", "The model's chat template was refused."),
        "timeout": translate("Errors", "The model took too long to answer."),
        "too_long": translate("Errors", "The conversation is too long for the model's context."),
        "input_rejected": translate("Errors", "The message cannot be sent as it is."),
        "remote_config": translate("Errors", "The remote connection is not set up correctly."),
        "remote_failed": translate("Errors", "The remote server failed."),
        "remote_bad_response": translate("Errors", "The remote server sent an answer this app cannot read."),
        # downloads
        "checksum": translate("Errors", "The download was corrupted (checksum mismatch) and was deleted."),
        "invalid_model": translate("Errors", "The downloaded file is not a usable model."),
        "disk_full": translate("Errors", "The disk is full."),
        "no_space": translate("Errors", "There is not enough free disk space for this model."),
        "disk": translate("Errors", "The model could not be written to disk."),
        "not_found": translate("Errors", "The model file was not found on the server (404)."),
        "forbidden": translate("Errors", "The server refused the download."),
        "server_error": translate("Errors", "The server had a problem. Try again later."),
        "network": translate("Errors", "No connection to the server (are you offline?)."),
        "insecure_url": translate("Errors", "Refused: the download address is not secure (https)."),
        "busy": translate("Errors", "This model is already being downloaded."),
        "too_large": translate(
            "Errors", "The server sent more than the model's size; the download was stopped."
        ),
        "http": translate("Errors", "The server gave an unexpected answer."),
        "internal": translate("Errors", "Something unexpected went wrong."),
    }
    return texts.get(kind, "")


def explain(kind: str, message: str) -> str:
    """Headline and the core's own message, without repeating a message that is the headline."""
    head = headline(kind)
    if not head:
        return message
    if not message or message == head:
        return head
    return f"{head}\n{message}"
