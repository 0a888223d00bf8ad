"""Clients: finding one by name or alias, the card, the history, the risk board, the account
owner, the export and forgetting a client.

Commands: ``ShowClient``, ``ShowHistory``, ``ShowBoard``, ``ChangeOwner``, ``ExportClient``,
``AnswerFileOffer`` (the export offered as a file), ``ForgetClient``.
"""
