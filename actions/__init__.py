"""Custom actions: thin adapters between Rasa's tracker and the clinic's core (clinic/)."""

from clinic import redaction

# The action server's logs are redacted like the Rasa server's (channels/server.py).
redaction.install()
