"""Text in and out, with no use case of its own: parsing chat commands, client names and
"did you mean", numbers, times, mentions, paging, cleaning input, column limits, and the
catalogs (i18n)."""
