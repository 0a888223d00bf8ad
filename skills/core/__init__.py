"""What every use case stands on: the scope a command runs in (one transaction, the tenant,
the person's language, the clock), who may do what, the tenant's creation, forms parked between
requests, help and the App Home.

Commands: ``ShowHelp``, ``ShowHome``, ``Expired``, ``UnknownCommand``.
"""
