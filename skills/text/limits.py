"""Keeping text that comes from platforms within the columns that store it."""

ELLIPSIS = "…"
# Person and author names are stored in columns of this size.
NAME_LIMIT = 200
# A client's name and its lookup key are stored in columns of this size (storage.models.Client).
CLIENT_NAME_LIMIT = 200


def clip(text: str, limit: int) -> str:
    """``text``, cut to ``limit`` characters with an ellipsis when it is longer."""
    return text if len(text) <= limit else text[: limit - 1] + ELLIPSIS
