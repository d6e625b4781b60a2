# Shared by ./run and ./test: the virtual environment and the trained model, each made only
# when missing or out of date. Source it from the project's root.

export RASA_TELEMETRY_ENABLED=false   # no usage data or crash reports leave the clinic
export RASA_CACHE_DIRECTORY="$PWD/var/rasa-cache"
export TF_CPP_MIN_LOG_LEVEL=2         # tensorflow's start-up chatter
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
PYTHON_BIN="${PYTHON_BIN:-python3.11}"
VENV=.venv
MODEL=models/clinic.tar.gz
SPACY_PIPELINE=models/spacy-clinic
RED_FLAG_MODEL=models/red_flags.joblib

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# The virtual environment, from the fully pinned requirements.lock: created when missing, and
# brought in line with the lock whenever the lock changes.
ensure_venv() {
  local want have=""
  want=$(sha256sum requirements.lock | cut -d' ' -f1)
  [ -f "$VENV/.lock-sha256" ] && have=$(cat "$VENV/.lock-sha256")
  if [ -x "$VENV/bin/python" ] && [ "$want" = "$have" ]; then
    return 0
  fi
  command -v "$PYTHON_BIN" >/dev/null || { echo "Python 3.11 ($PYTHON_BIN) is needed" >&2; exit 1; }
  if [ ! -x "$VENV/bin/python" ]; then
    say "Creating the virtual environment in $VENV (a few minutes the first time, about 3 GB)"
    "$PYTHON_BIN" -m venv "$VENV"
  else
    say "requirements.lock changed: updating $VENV"
  fi
  # rasa 3.6 declares Python <3.11 but works on 3.11 with these pins (README, Dependencies)
  "$VENV/bin/pip" install --quiet --disable-pip-version-check --no-deps \
    --ignore-requires-python --prefer-binary -r requirements.lock
  echo "$want" > "$VENV/.lock-sha256"
}

# What the model is trained from: when none of it changed, the model is not retrained.
# Answer texts (content/answers.yml, replies.yml, article.yml) are not among them: the action
# server reads those at start-up.
model_inputs() {
  ls config.yml domain.yml requirements.lock content/terms.yml content/vocabulary.yml \
    clinic/terms.py clinic/ngrams.py clinic/intent_model.py nlu_components/intent_ensemble.py \
    data/*.yml
}

ensure_model() {
  local want have=""
  want=$(model_inputs | xargs sha256sum | sha256sum | cut -d' ' -f1)
  [ -f models/.inputs-sha256 ] && have=$(cat models/.inputs-sha256)
  # The learned red-flag backstop (clinic/red_flag_model.py) is rebuilt when its data changed.
  "$VENV/bin/python" -m clinic.red_flag_model build "$RED_FLAG_MODEL"
  if [ -f "$MODEL" ] && [ -d "$SPACY_PIPELINE" ] && [ "$want" = "$have" ]; then
    say "The model is up to date ($MODEL)"
    return 0
  fi
  say "Training the model (its inputs changed; about two minutes)"
  mkdir -p models var
  "$VENV/bin/python" -m clinic.terms build "$SPACY_PIPELINE"
  "$VENV/bin/rasa" train --fixed-model-name clinic --out models
  echo "$want" > models/.inputs-sha256
}

# Secrets come from the environment. Where the environment has none (a first ./run on a
# laptop), random ones are made once and kept in var/secrets.env, readable by this user only;
# a name missing from an older file is added, and nothing in it is ever replaced:
# CLINIC_DATA_KEYS encrypts patients' details at rest (Fernet keys, comma-separated, newest
# first), CLINIC_HASH_KEY keys the index of SMS opt-outs (README "Patients' data" has key
# rotation), and CLINIC_API_TOKEN guards Rasa's HTTP API. A clinic's server sets all three
# in the environment instead.
SECRETS_FILE=var/secrets.env
ensure_secrets() {
  mkdir -p var
  (umask 077 && touch "$SECRETS_FILE")
  "$VENV/bin/python" - "$SECRETS_FILE" <<'PY'
import secrets
import sys
from pathlib import Path

from cryptography.fernet import Fernet

path = Path(sys.argv[1])
have = {line.split("=", 1)[0] for line in path.read_text().splitlines() if "=" in line}
makers = {
    "CLINIC_DATA_KEYS": lambda: Fernet.generate_key().decode(),
    "CLINIC_HASH_KEY": lambda: secrets.token_urlsafe(32),
    "CLINIC_API_TOKEN": lambda: secrets.token_urlsafe(32),
}
missing = [name for name in makers if name not in have]
if missing:
    with path.open("a") as out:
        out.writelines(f"{name}={makers[name]()}\n" for name in missing)
    print(f"==> Made {', '.join(missing)} in {path} (keep it: it decrypts the bookings)",
          file=sys.stderr)
PY
  # Split at the first "=" only: Fernet keys end in "=", which `IFS='=' read` would drop.
  local line name value
  while IFS= read -r line; do
    name=${line%%=*} value=${line#*=}
    [ -n "$name" ] && [ "$name" != "$line" ] && [ -z "${!name:-}" ] && export "$name=$value"
  done < "$SECRETS_FILE"
  return 0
}

# The booking tests run on PostgreSQL as well as SQLite: start this machine's server if it
# is down (TEST_POSTGRES_URL points the tests at another one).
ensure_postgres() {
  [ -n "${TEST_POSTGRES_URL:-}" ] && return 0
  pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && return 0
  say "Starting PostgreSQL for the database tests"
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | tail -n 1)" main start || true
    for _ in $(seq 30); do pg_isready -q -h 127.0.0.1 -p 5432 && return 0; sleep 1; done
  fi
  echo "PostgreSQL is not running on 127.0.0.1:5432; the database tests will say so." >&2
}

# The rate limit's and the scaled-out deployment's tests use this machine's Redis: start it
# if it is down (nothing is kept on disk).
ensure_redis() {
  (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null && return 0
  say "Starting Redis for the rate-limit and deployment tests"
  if command -v redis-server >/dev/null; then
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
      --dir /tmp --logfile /tmp/redis-clinic-tests.log || true
    for _ in $(seq 10); do (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null && return 0; sleep 1; done
  fi
  echo "Redis is not running on 127.0.0.1:6379; the tests that need it will say so." >&2
}

# Installs Debian packages (as root, or through sudo) when a command is missing.
apt_install() {
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# The widget's browser libraries (the socket.io client, and axe-core for the accessibility
# tests), pinned in web/package-lock.json; installed again whenever the lock changes.
ensure_widget() {
  local want have=""
  want=$(sha256sum web/package-lock.json | cut -d' ' -f1)
  [ -f web/node_modules/.lock-sha256 ] && have=$(cat web/node_modules/.lock-sha256)
  [ "$want" = "$have" ] && return 0
  if ! command -v npm >/dev/null; then
    say "Installing Node.js and npm from Debian's packages (for the widget's libraries)"
    apt_install nodejs npm
  fi
  say "Installing the widget's browser libraries (web/package-lock.json)"
  (cd web && npm ci --no-audit --no-fund --loglevel=error)
  echo "$want" > web/node_modules/.lock-sha256
}

# The browser tests drive Debian's Chromium; no browser is downloaded.
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
ensure_chromium() {
  [ -x "$CHROMIUM" ] && return 0
  say "Installing Chromium from Debian's packages (for the widget's browser tests)"
  apt_install chromium fonts-liberation
}
