"""How a unit of work opens warehouse connections: a factory such as the Dagster resource's ``connect``
(``autocommit=True`` for writers whose every ``transaction()`` block must commit on its own)."""

from collections.abc import Callable
from contextlib import AbstractContextManager

import psycopg

Connect = Callable[..., AbstractContextManager[psycopg.Connection]]
