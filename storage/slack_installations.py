"""The tables where slack_sdk's OAuth stores keep installations, bots and OAuth states.

slack_sdk builds them itself; registering them on the project's metadata puts them under the
project's migrations, and the migration test fails if a slack_sdk upgrade changes their shape.
"""

from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlmodel import SQLModel

import storage.models  # noqa: F401  (sets the naming convention the tables are built with)

INSTALLATIONS_TABLE = "slack_installations"
BOTS_TABLE = "slack_bots"
OAUTH_STATES_TABLE = "slack_oauth_states"

installations = SQLAlchemyInstallationStore.build_installations_table(
    SQLModel.metadata, INSTALLATIONS_TABLE
)
bots = SQLAlchemyInstallationStore.build_bots_table(SQLModel.metadata, BOTS_TABLE)
oauth_states = SQLAlchemyOAuthStateStore.build_oauth_states_table(
    SQLModel.metadata, OAUTH_STATES_TABLE
)
