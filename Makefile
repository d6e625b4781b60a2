# Measurements (the two commands that run and test the assistant are ./run and ./test).
#   make eval    accuracy on held-out data -> bench/reports/eval.md, eval.json, confusion.png
#   make bench   speed and memory against the stock `rasa init` assistant -> bench/reports/bench.md, bench.json
#   make bench-booking   50 patients booking at once for 5 minutes -> bench/reports/booking_load.md, booking_load.json
SHELL := /bin/bash
.PHONY: eval bench bench-booking

eval:
	source scripts/common.sh && ensure_venv && ensure_model && "$$VENV/bin/python" bench/eval.py

bench:
	source scripts/common.sh && ensure_venv && ensure_model && ensure_widget && \
	  "$$VENV/bin/python" bench/load.py

bench-booking:
	source scripts/common.sh && ensure_venv && ensure_model && "$$VENV/bin/python" bench/booking_load.py

# make bench-scale   2 Rasa replicas behind nginx against 1 (deploy/run) -> bench/reports/scale.md, scale.json
.PHONY: bench-scale
bench-scale:
	source scripts/common.sh && ensure_venv && ensure_model && "$$VENV/bin/python" bench/scale.py

# make bench-backstop   the learned red-flag backstop on wording it never saw -> bench/reports/red_flag_backstop.md, .json
.PHONY: bench-backstop
bench-backstop:
	source scripts/common.sh && ensure_venv && "$$VENV/bin/python" bench/red_flag_backstop.py
