"""An embedded PostgreSQL (the ``pgserver`` wheel's binaries, driven by our own ``initdb`` / ``pg_ctl``) for
local runs, the demo and the tests, listening on 127.0.0.1 only; as root every server command runs as
``palimpsest-pg`` (docs/operations.md).

The server folder (default ``<repo>/.palimpsest/pg``) holds ``data/`` and ``log/``, ``port``,
``superuser.password``, ``start.lock``, and ``pgwheel/`` when the wheel's binaries cannot be run as they are.
"""
