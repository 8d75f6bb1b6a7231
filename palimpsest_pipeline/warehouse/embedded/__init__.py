"""An embedded PostgreSQL (the ``pgserver`` wheel's binaries, driven by our own ``initdb`` / ``pg_ctl``) for
local runs, the demo and the tests; pgserver's own API chmods folders above its data directory as root.

The server folder (default ``<repo>/.palimpsest/pg``) holds ``data/`` and ``log/`` (the service user's as
root), ``port``, ``superuser.password`` and ``start.lock`` (the caller's), and ``pgwheel/`` when the wheel's
binaries cannot be run by the server's account. It listens on 127.0.0.1 only with scram passwords. As root,
every server command runs as ``palimpsest-pg``, and a folder under a private one (``/root``, ``mktemp -d``)
moves to ``/var/lib/palimpsest-pg/<name>-<hash>`` (:func:`server_folder`); docs/operations.md says more.
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
