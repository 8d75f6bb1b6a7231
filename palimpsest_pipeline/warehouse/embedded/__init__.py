"""An embedded PostgreSQL server that needs no system install, for local runs, the demo and the tests.

The binaries come from the ``pgserver`` wheel (PostgreSQL 16), but we drive ``initdb`` / ``pg_ctl`` ourselves:
run as root, pgserver's Python API chmods folders *above* its data directory, which we must never do.

Layout of the server folder (default ``<repo>/.palimpsest/pg``)::

    pg/                 the folder we create; always the caller's (root's when we run as root)
      data/             PGDATA (initdb); the service user's when we run as root
      log/server.log    postgres' log (pg_ctl -l); log/ is the service user's when we run as root
      port              the TCP port we listen on, chosen once and remembered
      superuser.password  the generated superuser password (0600, the caller's)
      start.lock        fcntl lock serialising concurrent starts
      pgwheel/          our own copy of the binaries (and their bundled libraries), only when the wheel's
                        copy cannot be run by the server's account (lost +x bits, venv in a private folder)

Root never writes through an entry the service user could have planted (``private_files.py``).

The server listens on 127.0.0.1 only (unix sockets disabled) and requires scram passwords, so other local
users cannot walk in as superuser. PostgreSQL refuses to run as root; when we are root (CI) every server
command runs as the unprivileged system user ``palimpsest-pg`` (created with useradd when missing).

**Where the server folder really lives.** As root, the service user must be able to enter every folder on the
way to the server folder, and a first clone often sits under a private one (``/root``, a ``mktemp -d`` folder,
both mode 0700). We never chmod anything above the project, so in that case the folder moves to a per-project
folder under a world-traversable system location (``/var/lib/palimpsest-pg/<name>-<hash of the path>``; see
:func:`server_folder`): the name follows from the requested path alone, so every command (``db url``,
``db stop``, ``db clean``, the tests) finds the same server, and two clones never share one. A small text file
``SERVER_FOLDER`` in the requested folder says where it went, for people.
"""

from palimpsest_pipeline.warehouse.embedded.accounts import (
    SERVICE_USER,
    EmbeddedServerError,
    ServiceUser,
    ensure_service_user,
    untraversable_folders,
)
from palimpsest_pipeline.warehouse.embedded.binaries import wheel_bin_dir
from palimpsest_pipeline.warehouse.embedded.location import POINTER_FILE, RELOCATION_BASES, server_folder
from palimpsest_pipeline.warehouse.embedded.process import process_alive
from palimpsest_pipeline.warehouse.embedded.server import (
    CLUSTER_NAME,
    SUPERUSER,
    embedded_server_pid,
    ensure_embedded_server,
    remove_embedded_server,
    stop_embedded_server,
)

__all__ = [
    "CLUSTER_NAME",
    "POINTER_FILE",
    "RELOCATION_BASES",
    "SERVICE_USER",
    "SUPERUSER",
    "EmbeddedServerError",
    "ServiceUser",
    "embedded_server_pid",
    "ensure_embedded_server",
    "ensure_service_user",
    "process_alive",
    "remove_embedded_server",
    "server_folder",
    "stop_embedded_server",
    "untraversable_folders",
    "wheel_bin_dir",
]
