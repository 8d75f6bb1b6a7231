"""``palimpsest-sandbox`` (or ``python -m palimpsest_sandbox``): serve the books' APIs until interrupted.

The pipeline never imports the sandbox: its CLI starts this program and reads the URLs it prints
(``--json-line``: one JSON object, then nothing else on standard output; ``--print-urls``: the same object for
a port, without serving).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence

from palimpsest_sandbox.config import SandboxConfig
from palimpsest_sandbox.server import announcement, serve


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="palimpsest-sandbox", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1", help="listen address (loopback by default)")
    parser.add_argument("--port", type=int, default=8765, help="0: any free port")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--size", type=int, default=1000, help="about how many events each book lists")
    parser.add_argument("--json-line", action="store_true", help="announce the URLs as one JSON line")
    parser.add_argument(
        "--stop-on-eof", action="store_true", help="stop when standard input closes (a parent's child)"
    )
    parser.add_argument("--print-urls", action="store_true", help="print the URLs as JSON and exit")
    args = parser.parse_args(argv)
    if args.print_urls:
        print(json.dumps(announcement(args.host, args.port)))
        return
    config = SandboxConfig(host=args.host, port=args.port, seed=args.seed, size=args.size)
    try:
        serve(config, json_line=args.json_line, stop_on_eof=args.stop_on_eof)
    except OSError as error:
        parser.exit(1, f"palimpsest-sandbox: {error}\n")


if __name__ == "__main__":
    main()
