"""Retention: where the tracker store is, read as Rasa reads endpoints.yml."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import make_url

from clinic.retention import ROOT, RetentionError, tracker_store_url

POSTGRES_ENDPOINTS = """
tracker_store:
  type: SQL
  dialect: postgresql
  host: ${DB_HOST}
  port: 5433
  db: rasa_tracker
  username: ${DB_USER}
  password: ${DB_PASSWORD}
"""


def endpoints(tmp_path, text: str):
    path = tmp_path / "endpoints.yml"
    path.write_text(text)
    return path


def test_the_project_s_endpoints_give_the_sqlite_file_under_var():
    assert tracker_store_url({}) == f"sqlite:///{ROOT / 'var' / 'tracker.db'}"


def test_rasa_endpoints_and_placeholders_are_followed(tmp_path):
    path = endpoints(tmp_path, POSTGRES_ENDPOINTS)
    environ = {"RASA_ENDPOINTS": str(path), "DB_HOST": "db.internal", "DB_USER": "rasa",
               "DB_PASSWORD": "p@ss:word/1"}  # fmt: skip
    url = make_url(tracker_store_url(environ))
    assert (url.drivername, url.host, url.port, url.database) == (
        "postgresql", "db.internal", 5433, "rasa_tracker",
    )  # fmt: skip
    assert (url.username, url.password) == ("rasa", "p@ss:word/1")


def test_a_missing_placeholder_is_named(tmp_path):
    path = endpoints(tmp_path, POSTGRES_ENDPOINTS)
    with pytest.raises(RetentionError, match=r"\$\{DB_PASSWORD\}"):
        tracker_store_url({"DB_HOST": "h", "DB_USER": "u"}, endpoints=path)


def test_a_whole_url_or_a_port_in_host_is_taken_as_rasa_takes_it(tmp_path):
    whole = endpoints(tmp_path, "tracker_store:\n  type: sql\n  host: postgresql://a@b/c\n")
    assert tracker_store_url({}, endpoints=whole) == "postgresql://a@b/c"
    text = "tracker_store:\n  type: SQL\n  dialect: postgresql\n  host: db:6543\n  db: t\n"
    url = make_url(tracker_store_url({}, endpoints=endpoints(tmp_path, text)))
    assert (url.host, url.port, url.database) == ("db", 6543, "t")


def test_the_environment_s_url_comes_first_and_memory_needs_nothing(tmp_path):
    assert tracker_store_url({"TRACKER_DATABASE_URL": "sqlite:////x.db"}) == "sqlite:////x.db"
    assert tracker_store_url({}, endpoints=endpoints(tmp_path, "action_endpoint: {}\n")) is None


def test_a_tracker_store_that_is_not_sql_is_refused(tmp_path):
    path = endpoints(tmp_path, "tracker_store:\n  type: redis\n  url: localhost\n")
    with pytest.raises(RetentionError, match="not SQL"):
        tracker_store_url({}, endpoints=path)
