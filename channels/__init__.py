"""Rasa input channels the project adds (listed in credentials.yml)."""
