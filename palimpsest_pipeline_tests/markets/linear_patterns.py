"""A static check that a regular expression runs in linear time on Python's backtracking engine.

Two shapes make ``re`` quadratic (or worse) on a long run of one kind of character:

- a loop whose end the next character does not decide: ``(.*?)\\s*(\\d+)\\+`` on forty thousand digits tries
  every split of the run between the loops. Checked as: every backtracking loop's first characters are
  disjoint from what can follow it (possessive loops and atomic groups never give characters back); a loop
  whose body can be empty, or a loop inside a loop that overlaps it, fails the same test.
- a search (``search``/``sub``/``split``) that can start inside a run a failed attempt already scanned:
  ``\\s*\\(`` on forty thousand spaces scans the rest of the run from every space. Checked as: a pattern not
  anchored at the start has no loop that can fail after consuming a character where another attempt can
  start (an attempt after ``\\b`` starts only where a word begins, so a loop of word characters is safe).

Characters are compared over a sample alphabet (Latin-1, Latin Extended, and a few Unicode spaces and
digits), which is what the categories in the grammar's patterns distinguish.
"""

from __future__ import annotations

import re
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as parser  # type: ignore[attr-defined]
from typing import Any

ALPHABET = frozenset(
    [chr(c) for c in range(0x250)] + ["\u00a0", "\u2003", "\u3000", "\u0661", "\u00b2", "\u2160", "\u200b"]
)
_CATEGORIES = {
    sre.CATEGORY_DIGIT: r"\d",
    sre.CATEGORY_NOT_DIGIT: r"\D",
    sre.CATEGORY_SPACE: r"\s",
    sre.CATEGORY_NOT_SPACE: r"\S",
    sre.CATEGORY_WORD: r"\w",
    sre.CATEGORY_NOT_WORD: r"\W",
}
_CATEGORY_CHARS = {
    category: frozenset(c for c in ALPHABET if re.fullmatch(cls, c)) for category, cls in _CATEGORIES.items()
}
WORD = _CATEGORY_CHARS[sre.CATEGORY_WORD]
_LOOPS = (sre.MAX_REPEAT, sre.MIN_REPEAT)
_EMPTY: frozenset[str] = frozenset()


class _Checker:
    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.ignore_case = bool(pattern.flags & re.IGNORECASE)
        self.problems: list[str] = []

    # --- characters ---------------------------------------------------------------------------------------
    def _literal(self, code: int) -> frozenset[str]:
        char = chr(code)
        return frozenset({char, char.lower(), char.upper()}) if self.ignore_case else frozenset({char})

    def chars(self, op: Any, av: Any) -> frozenset[str] | None:
        """The characters one single-character item matches; None for any other item."""
        if op is sre.LITERAL:
            return self._literal(av)
        if op is sre.NOT_LITERAL:
            return ALPHABET - self._literal(av)
        if op is sre.ANY:
            return ALPHABET - {"\n"}
        if op is sre.CATEGORY:
            return _CATEGORY_CHARS[av]
        if op is sre.IN:
            negate = False
            found: set[str] = set()
            for item_op, item_av in av:
                if item_op is sre.NEGATE:
                    negate = True
                elif item_op is sre.RANGE:
                    low, high = item_av
                    found |= {c for c in ALPHABET if low <= ord(c) <= high}
                    if self.ignore_case:
                        found |= {c.swapcase() for c in found}
                else:
                    found |= self.chars(item_op, item_av) or set()
            return ALPHABET - found if negate else frozenset(found)
        return None

    def all_chars(self, items: Any) -> frozenset[str]:
        """Every character anything in ``items`` can consume."""
        out: set[str] = set()
        for op, av in items:
            single = self.chars(op, av)
            if single is not None:
                out |= single
            else:
                for child in _children(op, av):
                    out |= self.all_chars(child)
        return frozenset(out)

    # --- first sets ---------------------------------------------------------------------------------------
    def first(self, op: Any, av: Any) -> tuple[frozenset[str], bool]:
        """(characters a match of the item can start with, whether it can match the empty string)."""
        single = self.chars(op, av)
        if single is not None:
            return single, False
        if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
            return _EMPTY, True
        if op is sre.SUBPATTERN:
            return self.first_seq(av[3])
        if op is sre.ATOMIC_GROUP:
            return self.first_seq(av)
        if op is sre.BRANCH:
            firsts = [self.first_seq(alt) for alt in av[1]]
            return frozenset().union(*(f for f, _ in firsts)), any(n for _, n in firsts)
        if op in (*_LOOPS, sre.POSSESSIVE_REPEAT):
            body_first, body_nullable = self.first_seq(av[2])
            return body_first, av[0] == 0 or body_nullable
        return ALPHABET, True  # anything else (a back reference): assume the worst

    def first_seq(self, items: Any) -> tuple[frozenset[str], bool]:
        out: set[str] = set()
        for op, av in items:
            first, nullable = self.first(op, av)
            out |= first
            if not nullable:
                return frozenset(out), False
        return frozenset(out), True

    # --- loops whose end the next character decides ---------------------------------------------------------
    def check_seq(self, items: Any, follow: frozenset[str]) -> None:
        for op, av in reversed(list(items)):
            self.check(op, av, follow)
            first, nullable = self.first(op, av)
            follow = first | follow if nullable else first

    def check(self, op: Any, av: Any, follow: frozenset[str]) -> None:
        if op is sre.SUBPATTERN:
            self.check_seq(av[3], follow)
        elif op is sre.BRANCH:
            for alt in av[1]:
                self.check_seq(alt, follow)
        elif op is sre.ATOMIC_GROUP or op in (sre.ASSERT, sre.ASSERT_NOT):
            self.check_seq(av if op is sre.ATOMIC_GROUP else av[1], _EMPTY)  # never re-entered
        elif op in (*_LOOPS, sre.POSSESSIVE_REPEAT):
            _low, high, body = av
            body_first, body_nullable = self.first_seq(body)
            if high > 1 and body_nullable:
                self.problems.append("a loop whose body can match nothing")
            if high > 1 and op in _LOOPS and body_first & follow:
                sample = "".join(sorted(body_first & follow))[:8]
                self.problems.append(f"a loop whose end the next character does not decide ({sample!r})")
            self.check_seq(body, body_first | follow if high > 1 else follow)

    # --- searches that rescan a run ---------------------------------------------------------------------
    def starts(self, items: Any) -> list[tuple[frozenset[str], bool]]:
        """Where an unanchored attempt can start: per alternative its first characters, and whether a
        leading ``\\b`` confines the attempt to the start of a word."""
        items = list(items)
        if items and items[0][0] is sre.SUBPATTERN:
            return self.starts(list(items[0][1][3]) + items[1:])
        if items and items[0][0] is sre.BRANCH:
            return [start for alt in items[0][1][1] for start in self.starts(list(alt) + items[1:])]
        first, _ = self.first_seq(items)
        guarded = bool(items) and items[0] == (sre.AT, sre.AT_BOUNDARY) and first <= WORD
        return [(first, guarded)]

    def check_rescans(self, items: Any, starts: list[tuple[frozenset[str], bool]]) -> None:
        """Per loop: may it fail after running over a character where another attempt can start?"""
        items = list(items)
        for index, (op, av) in enumerate(items):
            if op in (*_LOOPS, sre.POSSESSIVE_REPEAT) and av[1] > 1:
                run = self.all_chars(av[2])
                crossing = any(run & first and (not guarded or not run <= WORD) for first, guarded in starts)
                if crossing and _can_fail(items[index + 1 :]):
                    self.problems.append("a search whose loop can fail over another attempt's start")
            for child in _children(op, av):
                self.check_rescans(list(child) + items[index + 1 :], starts)

    def run(self) -> list[str]:
        items = list(parser.parse(self.pattern.pattern, self.pattern.flags))
        self.check_seq(items, _EMPTY)
        anchored = bool(items) and items[0] == (sre.AT, sre.AT_BEGINNING)
        if not anchored:
            self.check_rescans(items, self.starts(items))
        return sorted(set(self.problems))


def _children(op: Any, av: Any) -> list[Any]:
    if op is sre.SUBPATTERN:
        return [av[3]]
    if op is sre.ATOMIC_GROUP:
        return [av]
    if op in (sre.ASSERT, sre.ASSERT_NOT):
        return [av[1]]
    if op is sre.BRANCH:
        return list(av[1])
    if op in (*_LOOPS, sre.POSSESSIVE_REPEAT):
        return [av[2]]
    return []


def _can_fail(items: Any) -> bool:
    """Whether matching ``items`` can fail: something required, or an anchor or assertion."""
    for op, av in items:
        if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT, sre.GROUPREF):
            return True
        if op in (*_LOOPS, sre.POSSESSIVE_REPEAT):
            if av[0] > 0 or _can_fail(av[2]):
                return True
        elif op is sre.SUBPATTERN:
            if _can_fail(av[3]):
                return True
        elif op is sre.ATOMIC_GROUP:
            if _can_fail(av):
                return True
        elif op is sre.BRANCH:
            if all(_can_fail(alt) for alt in av[1]):
                return True
        else:
            return True  # a character
    return False


def nonlinear_shapes(pattern: re.Pattern[str]) -> list[str]:
    """Why ``pattern`` may backtrack more than linearly (empty: it cannot, by the two rules above)."""
    return _Checker(pattern).run()
