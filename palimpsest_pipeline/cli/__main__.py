"""``python -m palimpsest_pipeline.cli``: the same as the ``palimpsest`` command."""

from palimpsest_pipeline.cli import main

main()
