"""Measurements of the assistant: `make eval` (bench/eval.py) and `make bench` (bench/load.py)."""
