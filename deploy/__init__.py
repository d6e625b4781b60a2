"""The deployment's Python parts: its databases and its lock store."""
