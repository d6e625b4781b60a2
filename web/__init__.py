"""The clinic's demo web page and the chat widget's files (python -m web.server)."""
