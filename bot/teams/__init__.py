"""The Microsoft Teams surface, on the Microsoft 365 Agents SDK."""
