"""SMS opt-outs, stored in the database (SQLite and PostgreSQL)."""

from __future__ import annotations

from clinic.opt_outs import is_opted_out, opt_in, opt_out


def test_stop_until_start(factory, now):
    assert not is_opted_out(factory, "+14695550100")
    opt_out(factory, "+14695550100", now)
    opt_out(factory, "+14695550100", now)  # a second STOP is harmless
    assert is_opted_out(factory, "+14695550100")
    assert not is_opted_out(factory, "+14695550101")
    opt_in(factory, "+14695550100")
    opt_in(factory, "+14695550100")
    assert not is_opted_out(factory, "+14695550100")
