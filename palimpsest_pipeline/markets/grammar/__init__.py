"""The market grammar: book market and outcome names read into descriptions, resolved to keys."""
