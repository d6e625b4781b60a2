"""Rasa NLU components of the clinic's own (listed in config.yml)."""
