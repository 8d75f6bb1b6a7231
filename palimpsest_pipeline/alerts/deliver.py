"""Sending one alert to one receiver through apprise (Slack, Telegram, e-mail, a plain JSON webhook...).

Each URL of ``PALIMPSEST_ALERT_URLS`` is a receiver named by a label, so its secret is never stored or
printed. Short timeouts make a dead receiver cost seconds; alerts go as plain text, so a team name never
becomes markup.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import apprise

#: Seconds to connect and to read a receiver's answer (apprise's ``cto`` and ``rto`` URL options).
CONNECT_TIMEOUT_S = 3
READ_TIMEOUT_S = 5
FIRST_RETRY = timedelta(seconds=5)
_MAX_ERROR_CHARS = 500


class ReceiverError(ValueError):
    """A receiver URL apprise cannot use; the message names its label, never the URL."""


@dataclass(frozen=True)
class Receiver:
    label: str
    url: str

    def __repr__(self) -> str:  # the URL carries a secret
        return f"Receiver({self.label})"


def receivers_from(urls: str) -> list[Receiver]:
    """The receivers of a ``PALIMPSEST_ALERT_URLS`` value: URLs separated by commas, spaces or new lines,
    each labelled ``<scheme>#<place>`` (1-based). Raises ``ReceiverError`` for one apprise cannot load."""
    receivers = []
    for place, url in enumerate(filter(None, re.split(r"[\s,]+", urls.strip())), start=1):
        label = f"{urlsplit(url).scheme or 'unknown'}#{place}"
        if apprise.Apprise.instantiate(url) is None:
            raise ReceiverError(f"PALIMPSEST_ALERT_URLS: receiver {label} is not a URL apprise can send to")
        receivers.append(Receiver(label, _with_timeouts(url)))
    return receivers


def _with_timeouts(url: str) -> str:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    query.setdefault("cto", str(CONNECT_TIMEOUT_S))
    query.setdefault("rto", str(READ_TIMEOUT_S))
    return urlunsplit(parts._replace(query=urlencode(query)))


def send(receiver: Receiver, title: str, body: str, attach: Sequence[Path] = ()) -> str | None:
    """Send one notification of plain text, with the files ``attach`` where the receiver's service takes
    attachments; None when the receiver took it, else why not (scrubbed of the URL)."""
    notifier = apprise.Apprise()
    notifier.add(receiver.url)
    result = notifier.notify(
        title=title,
        body=body,
        body_format=apprise.NotifyFormat.TEXT,
        attach=apprise.AppriseAttachment([str(path) for path in attach]) if attach else None,
        timeout=CONNECT_TIMEOUT_S + READ_TIMEOUT_S + 2,
    )
    if result:
        return None
    complaints = [entry.message for entry in result.logs() if entry.level in ("WARNING", "ERROR", "CRITICAL")]
    reason = "; ".join(complaints) or "the receiver did not take the notification"
    return reason.replace(receiver.url, receiver.label)[:_MAX_ERROR_CHARS]


def retry_after(attempts: int, ceiling_s: float) -> timedelta:
    """Backoff before the next attempt after ``attempts`` failed ones: 5 s, doubling, up to ``ceiling_s``."""
    return min(timedelta(seconds=ceiling_s), FIRST_RETRY * 2 ** max(0, attempts - 1))
