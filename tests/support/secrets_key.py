"""The key the test apps encrypt webhook secrets under (``SECRETS_KEY``), made for this run."""

from cryptography.fernet import Fernet

SECRETS_KEY = Fernet.generate_key().decode()
