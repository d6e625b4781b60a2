# Measurements (the two commands that run and test the assistant are ./run and ./test).
#   make eval    accuracy on held-out data -> bench/reports/eval.md, eval.json, confusion.png
#   make bench   speed and memory against the stock `rasa init` assistant -> bench/reports/bench.md, bench.json
SHELL := /bin/bash
.PHONY: eval bench

eval:
	source scripts/common.sh && ensure_venv && ensure_model && "$$VENV/bin/python" bench/eval.py

bench:
	source scripts/common.sh && ensure_venv && ensure_model && ensure_widget && \
	  "$$VENV/bin/python" bench/load.py
