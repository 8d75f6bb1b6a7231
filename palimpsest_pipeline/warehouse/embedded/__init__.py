"""An embedded PostgreSQL (the ``pgserver`` wheel's binaries, driven by our own ``initdb`` / ``pg_ctl``) for
local runs, the demo and the tests, on 127.0.0.1 only; as root every server command runs as ``palimpsest-pg``
(docs/operations.md). Its folder (default ``<repo>/.palimpsest/pg``) holds ``data/``, ``log/``, ``port``,
``superuser.password``, ``start.lock``, and ``pgwheel/`` when the wheel's binaries cannot run as they are."""
