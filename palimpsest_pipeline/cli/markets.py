"""``palimpsest markets``: the mapping assistant (logic in markets/assistant.py) and comparability figures."""

from __future__ import annotations

import importlib
from pathlib import Path

import click

from palimpsest_pipeline.cli.app import main
from palimpsest_pipeline.records import Book

#: Where each book's part of the mapping assistant (markets/<book>/tools.py) appends the rows it accepts.
_TABLES = {path.parent.name: path for path in sorted(Path(__file__).parents[1].glob("markets/*/assisted.py"))}


@main.group()
def markets() -> None:
    """Mapping tools: propose UOF keys for a book's unmapped markets."""


@markets.command("suggest")
@click.argument("book", type=click.Choice(sorted(_TABLES)))
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--against", "keyed", nargs=2, required=True, metavar="KEYED_BOOK KEYED_FILE",
              help="The same match on an already keyed book.")  # fmt: skip
@click.option("--tolerance", default=0.08, show_default=True, help="Largest relative price gap per outcome.")
@click.option("--write", is_flag=True, help="Append accepted proposals to the book's assisted table.")
@click.option("--accept-all", is_flag=True, help="With --write: accept every proposal without asking.")
def suggest(
    book: str, file: Path, keyed: tuple[str, str], tolerance: float, write: bool, accept_all: bool
) -> None:
    """Propose a grammar rule (else a table row) for each unkeyed market of BOOK FILE, from price agreement.

    The prices find the UOF market; the grammar rule says what the words it did not know mean. A market whose
    name the grammar reads, or whose words would have to mean nothing, gets a table row instead.
    """
    import orjson

    from palimpsest_pipeline.books.saved_response import SavedResponseError, read_saved_response
    from palimpsest_pipeline.markets.assistant import propose
    from palimpsest_pipeline.markets.rule_proposals import rule_for

    part = importlib.import_module(f"palimpsest_pipeline.markets.{book}.tools")
    keyed_book, keyed_file = keyed
    if keyed_book not in {b.value for b in Book}:
        raise click.BadParameter(f"unknown book {keyed_book!r}", param_hint="--against")
    try:
        reference = read_saved_response(Book(keyed_book), Path(keyed_file))
        own = read_saved_response(Book(book), file)
    except (SavedResponseError, OSError) as error:
        raise click.ClickException(str(error)) from None
    if own.sr_id != reference.sr_id:
        raise click.ClickException(
            f"{file} is match {own.sr_id} but {keyed_file} is match {reference.sr_id}: compare the same match"
        )
    unmapped = part.unmapped_markets(orjson.loads(file.read_bytes()), part.mapped_keys())
    proposals = propose(unmapped, reference.odds.rows, tolerance=tolerance)
    click.echo(
        f"{len(proposals)} proposal(s) for {book} {file.name} against {keyed_book} {Path(keyed_file).name}"
    )
    accepted: list[str] = []
    for proposal in proposals:
        click.echo(proposal.describe())
        rule = rule_for(proposal)
        if rule is not None:
            click.echo(f"  grammar rule for markets/grammar/phrase_rules.py: {rule.describe()}")
            continue
        click.echo("  no grammar rule (the name reads, or its words would mean nothing): a table row")
        if write and (accept_all or click.confirm("  append this row to the mapping table?", default=False)):
            accepted.append(part.row_source(proposal))
    if write and accepted:
        append_rows(_TABLES[book], accepted)
        click.echo(f"appended {len(accepted)} row(s) to {_TABLES[book]}")


def append_rows(path: Path, rows: list[str]) -> None:
    """Insert ``rows`` at the end of the ``ASSISTED = (...)`` tuple of an assisted table module."""
    text = path.read_text(encoding="utf-8")
    marker = "] = ("
    start = text.rfind(marker)
    end = text.rfind(")")
    if start < 0 or end < start:
        raise click.ClickException(f"{path}: no 'ASSISTED: tuple[...] = (...)' block to append to")
    body = text[start + len(marker) : end].strip("\n")
    lines = (body + "\n" if body else "") + "".join(rows)
    path.write_text(text[: start + len(marker)] + "\n" + lines + text[end:], encoding="utf-8")


@markets.command("comparable")
@click.argument("responses", nargs=-1, required=True, metavar="BOOK=FILE...")
@click.option("--lone", default=10, show_default=True, help="Markets meeting no other book shown per book.")
def comparable(responses: tuple[str, ...], lone: int) -> None:
    """Per book, the share of its open outcomes another book prices under the same key, from saved responses
    of one match (e.g. betpawa=v3.json and a competitor's BOOK=FILE), players resolved across the files as
    the pipeline resolves them; then the markets that meet on no other book."""
    import polars as pl

    from palimpsest_pipeline.books.odds_parse import EventOdds
    from palimpsest_pipeline.books.saved_response import SavedResponseError, read_saved_response
    from palimpsest_pipeline.frames import ODDS_SCHEMA
    from palimpsest_pipeline.scrape.odds.parsing import checked
    from palimpsest_pipeline.scrape.odds.players import resolve_event_players
    from palimpsest_pipeline.transforms.key_sharing import (
        OPEN_OUTCOMES_SCHEMA,
        book_sharing,
        lone_markets,
    )

    parsed: dict[Book, EventOdds] = {}
    match: dict[int, str] = {}
    for item in responses:
        name, sep, file = item.partition("=")
        if not sep or name not in {b.value for b in Book}:
            raise click.BadParameter(f"{item!r}: expected BOOK=FILE with BOOK one of {', '.join(Book)}")
        if Book(name) in parsed:
            raise click.BadParameter(f"{item!r}: one file per book")
        try:
            saved = read_saved_response(Book(name), Path(file))
        except (SavedResponseError, OSError) as error:
            raise click.ClickException(str(error)) from None
        parsed[Book(name)] = checked(saved.odds)  # as a capture's parse: its name-keyed players found
        match.setdefault(saved.sr_id, file)
    if len(match) > 1:
        named = ", ".join(f"{file} is match {sr_id}" for sr_id, file in match.items())
        raise click.ClickException(f"{named}: compare the same match")
    parsed.update(resolve_event_players(parsed))
    rows = [(r.sr_id, r.book.value, r.market, r.specifier, r.outcome, r.price, r.state, r.captured_at)
            for odds in parsed.values() for r in odds.rows]  # fmt: skip
    odds = pl.DataFrame(rows, schema=ODDS_SCHEMA, orient="row")
    counted = pl.DataFrame(
        [(book.value, result.open_outcomes) for book, result in parsed.items()],
        schema=OPEN_OUTCOMES_SCHEMA,
        orient="row",
    )
    click.echo(f"match {next(iter(match))}: open outcomes another book prices under the same key")
    click.echo(f"{'book':<10} {'open':>6} {'keyed':>6} {'priced by another':>18} {'share':>7}")
    for row in book_sharing(odds, counted).iter_rows(named=True):
        share = "-" if row["share"] is None else f"{row['share']:.1%}"
        click.echo(
            f"{row['book']:<10} {row['open_outcomes']:>6} {row['keyed_outcomes']:>6} "
            f"{row['competitor_priced']:>18} {share:>7}"
        )
    alone = lone_markets(odds)
    for book in parsed:
        mine = alone.filter(pl.col("book") == book.value)
        if mine.is_empty():
            continue
        click.echo(
            f"{book.value}: {mine.height} market(s), {mine['outcomes'].sum()} open keyed outcome(s), "
            "meet on no other book:"
        )
        for row in mine.head(lone).iter_rows(named=True):
            click.echo(f"  {row['market']:<40} {row['family']:<24} {row['outcomes']:>4} outcome(s)")
        if mine.height > lone:
            click.echo(f"  ... {mine.height - lone} more")


@markets.command("explain")
@click.argument("book", type=click.Choice([b.value for b in Book]))
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
def explain(book: str, file: Path) -> None:
    """Per market of BOOK FILE: the grammar's description and keys, or in one line why it has none."""
    import orjson

    from palimpsest_pipeline.markets.grammar.explain import explain_lines

    try:
        payload = orjson.loads(file.read_bytes())
    except (orjson.JSONDecodeError, OSError) as error:
        raise click.ClickException(f"{file}: {error}") from None
    for line in explain_lines(book, payload):
        click.echo(line)
