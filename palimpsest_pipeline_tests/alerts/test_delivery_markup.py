"""A team name is text on every channel: an alert naming a team a book sent as HTML and Markdown reaches a
JSON webhook, Slack, Telegram and e-mail (the channels the docs name) over real sockets, and what each
service would render shows the name as written, never a link or markup.

apprise posts to local stand-ins: the webhook's and the mail server's addresses are in their URLs; Slack's
and Telegram's API addresses are fixed in apprise's plugins, so the tests point those at the stand-in. What
each service renders is read by its documented rules (Telegram's HTML and Markdown modes, Slack's ``<...>``
links and ``&`` entities, a mail's MIME parts), not by apprise.
"""

from __future__ import annotations

import email
import email.policy
import html
import json
import re
import socketserver
import threading
from collections.abc import Iterator
from email.message import EmailMessage
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from apprise.plugins.slack import NotifySlack
from apprise.plugins.telegram import NotifyTelegram

from palimpsest_pipeline.alerts.deliver import receivers_from, send

TEAM = '<a href="https://evil.example">Arsenal</a> & <b> [x](https://evil.example) *bold*'
TITLE = f"Live on SportyBet, not on BetPawa: {TEAM} v Chelsea"
BODY = f"SportRadar match 61301159 has been live on SportyBet and missing on BetPawa: {TEAM} v Chelsea."


class StandIn:
    """An HTTP server on 127.0.0.1 standing in for the services' APIs: keeps each request's path and body,
    answers what the service answers (Slack's webhooks the text ``ok``, Telegram a JSON ``ok``)."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, bytes]] = []
        received = self.requests

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                received.append((self.path, self.rfile.read(int(self.headers["Content-Length"]))))
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"ok" if self.path.startswith("/services/") else b'{"ok": true}')

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def json(self) -> dict[str, Any]:
        [(_, body)] = self.requests
        return dict(json.loads(body))


class MailServer:
    """The SMTP dialogue a mail server holds, enough to take one message, on 127.0.0.1; keeps the messages."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        received = self.messages

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                self.reply("220 stand-in")
                while line := self.rfile.readline():
                    command = line.decode().strip().upper()
                    if command == "DATA":
                        self.reply("354 end with .")
                        data = b"".join(iter(self.rfile.readline, b".\r\n"))
                        message = email.message_from_bytes(data, policy=email.policy.default)
                        received.append(message)  # type: ignore[arg-type]
                    if command == "QUIT":
                        self.reply("221 bye")
                        return
                    self.reply("250 ok")

            def reply(self, text: str) -> None:
                self.wfile.write(text.encode() + b"\r\n")

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def stand_in(monkeypatch: pytest.MonkeyPatch) -> Iterator[StandIn]:
    server = StandIn()
    monkeypatch.setattr(NotifyTelegram, "notify_url", f"http://127.0.0.1:{server.port}/bot")
    monkeypatch.setattr(NotifySlack, "webhook_url", f"http://127.0.0.1:{server.port}/services")
    yield server
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture
def mail_server() -> Iterator[MailServer]:
    server = MailServer()
    yield server
    server.server.shutdown()
    server.server.server_close()


def _deliver(url: str) -> None:
    [receiver] = receivers_from(url)
    assert send(receiver, TITLE, BODY) is None


class _Rendered(HTMLParser):
    """What Telegram shows of an HTML-mode message: its tags, and its text with the entities read."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_a_json_webhook_gets_the_team_name_as_data_verbatim(stand_in: StandIn) -> None:
    _deliver(f"json://127.0.0.1:{stand_in.port}/hook")
    sent = stand_in.json()
    assert (sent["title"], sent["message"]) == (TITLE, BODY)


def test_telegram_shows_the_team_name_as_text_in_its_html_mode(stand_in: StandIn) -> None:
    _deliver("tgram://123456789:abcdefghij_klmnop/-1001234567/")
    sent = stand_in.json()
    assert sent.get("parse_mode", "HTML") == "HTML"
    rendered = _Rendered(sent["text"])
    assert rendered.tags == ["b"]  # the title in bold, nothing the team name brought
    assert "".join(rendered.text) == f"{TITLE}\r\n{BODY}"


def test_telegram_shows_the_team_name_as_text_in_its_markdown_mode(stand_in: StandIn) -> None:
    """Telegram's Markdown: ``*bold*``, ``_italic_``, `` `code` ``, ``[text](url)``, each character taken
    literally when a backslash precedes it. The only markup left is the title's bold."""
    _deliver("tgram://123456789:abcdefghij_klmnop/-1001234567/?format=markdown")
    sent = stand_in.json()
    assert sent["parse_mode"].lower() == "markdown"
    unescaped = re.sub(r"\\.", "", sent["text"])
    assert re.findall(r"[*_`\[\]]", unescaped) == ["*", "*"] and sent["text"].startswith("*")
    assert re.sub(r"\\(.)", r"\1", sent["text"]).strip("*").replace("*\n", "\n") == f"{TITLE}\n{BODY}"


@pytest.mark.parametrize("blocks", [False, True], ids=["attachment", "blocks"])
def test_slack_shows_the_team_name_as_text(stand_in: StandIn, blocks: bool) -> None:
    """Slack reads ``<...>`` as a link or mention and ``&...;`` as an entity in every text it shows, and
    ``*bold*`` wherever mrkdwn is on: each text field holds no bare ``<`` or ``>``, and mrkdwn is off."""
    _deliver("slack://T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ/" + ("?blocks=yes" if blocks else ""))
    [attachment] = stand_in.json()["attachments"]
    if blocks:
        header, section, *_ = attachment["blocks"]
        shown = {"title": header["text"], "body": section["text"]}
        assert {text["type"] for text in shown.values()} == {"plain_text"}
        title, body = shown["title"]["text"], shown["body"]["text"]
    else:
        assert stand_in.json()["mrkdwn"] is False
        title, body = attachment["title"], attachment["text"]
    for text in (title, body):
        assert not re.search(r"[<>]|&(?!(amp|lt|gt);)", text), text
    assert (html.unescape(title), html.unescape(body)) == (TITLE, BODY)


def test_an_email_is_plain_text_with_the_team_name_as_written(mail_server: MailServer) -> None:
    _deliver(f"mailto://127.0.0.1:{mail_server.port}?from=alerts@example.org&to=traders@example.org")
    [message] = mail_server.messages
    parts = [part for part in message.walk() if not part.is_multipart()]
    assert [part.get_content_type() for part in parts] == ["text/plain"]  # no HTML part to render
    assert message["Subject"] == TITLE
    assert parts[0].get_content().strip() == BODY
