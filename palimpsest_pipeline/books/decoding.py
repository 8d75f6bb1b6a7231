"""A book's answer decoded from its ``Content-Encoding`` (gzip, deflate, zstd) a bounded step at a time,
layer by layer, so a bomb is caught within a step of a limit instead of held whole as httpx would."""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterator
from typing import IO, Protocol, cast

import httpx
import zstandard

#: Decoded at most this much at a time, so a bomb is caught within a step of a limit.
STEP = 256 * 1024
#: An encoded answer's network reads enter the first layer at most this much at a time: a bomb's read of
#: tens of kilobytes would otherwise count whole before it is inflated, and let it inflate that much more.
WIRE_STEP = 8 * 1024
#: Layers at most: real servers send one encoding; more is a bomb in the making.
MAX_LAYERS = 3
_GZIP = ("gzip", "x-gzip")
_IDENTITY = ("", "identity")
#: What the client asks for: only the encodings this module decodes step by step.
ACCEPT_ENCODING = "gzip, deflate, zstd"

#: Why decoding must stop, given (bytes read from the wire, bytes one layer has produced), or None.
Judge = Callable[[int, int], str | None]


class UnsupportedEncoding(Exception):
    """An answer in an encoding that cannot be decoded step by step (or too many layers of them)."""


class TooLarge(Exception):
    """A layer's output passed a limit (the reason names the sizes)."""


class _Layer(Protocol):
    #: Whether the layer stops itself at the allowance ``feed`` is given (zstd's sink); the others decode a
    #: bounded step at a time and are judged after each, so no allowance is worked out for them.
    stops_at_allowance: bool

    def feed(self, data: bytes, allowance: int) -> Iterator[bytes]: ...


class _Zlib:
    """gzip or deflate (zlib-wrapped, or raw as some servers send it), at most STEP bytes per call."""

    stops_at_allowance = False

    def __init__(self, wbits: int) -> None:
        self._wbits = wbits
        self._inflate = zlib.decompressobj(wbits)

    def feed(self, data: bytes, allowance: int) -> Iterator[bytes]:
        while data:
            try:
                piece = self._inflate.decompress(data, STEP)
            except zlib.error as error:
                if self._wbits == zlib.MAX_WBITS and not self._inflate.eof:  # raw deflate
                    self._wbits, self._inflate = -zlib.MAX_WBITS, zlib.decompressobj(-zlib.MAX_WBITS)
                    continue
                raise httpx.DecodingError(f"{error}") from None
            data = self._inflate.unconsumed_tail
            if self._inflate.eof and self._inflate.unused_data and self._wbits & 16:
                data = self._inflate.unused_data  # a second gzip member follows
                self._inflate = zlib.decompressobj(self._wbits)
            if piece:
                yield piece
            elif not data:
                break


class _Sink:
    """Where zstd writes its output, STEP bytes at a write: refuses to hold more than the allowance."""

    def __init__(self) -> None:
        self.pieces: list[bytes] = []
        self.allowance = 0

    def write(self, data: bytes) -> int:
        self.allowance -= len(data)
        if self.allowance < 0:
            raise TooLarge("zstd output over its allowance")
        self.pieces.append(bytes(data))
        return len(data)


class _Zstd:
    """zstd through zstandard's streaming decompressor, stopped once a feed's output passes its allowance."""

    stops_at_allowance = True

    def __init__(self) -> None:
        self._sink = _Sink()
        sink = cast(IO[bytes], self._sink)  # zstandard only calls write()
        self._writer = zstandard.ZstdDecompressor().stream_writer(sink, write_size=STEP)

    def feed(self, data: bytes, allowance: int) -> Iterator[bytes]:
        self._sink.allowance = allowance
        try:
            self._writer.write(data)
        except zstandard.ZstdError as error:
            raise httpx.DecodingError(f"{error}") from None
        pieces, self._sink.pieces = self._sink.pieces, []
        yield from pieces


class _Identity:
    """No encoding: the network read itself (its size is bounded by the transport)."""

    stops_at_allowance = False

    def feed(self, data: bytes, allowance: int) -> Iterator[bytes]:
        if data:
            yield data


def _layer(name: str) -> _Layer:
    if name in _GZIP:
        return _Zlib(zlib.MAX_WBITS | 16)
    if name == "deflate":
        return _Zlib(zlib.MAX_WBITS)
    if name == "zstd":
        return _Zstd()
    raise UnsupportedEncoding(f"content-encoding {name!r} is not decoded step by step")


class Decoder:
    """The layers of one answer's ``Content-Encoding``, outermost (listed last) first."""

    def __init__(self, content_encoding: str, judge: Judge) -> None:
        names = [n.strip().lower() for n in content_encoding.split(",")]
        names = [n for n in names if n not in _IDENTITY]
        if len(names) > MAX_LAYERS:
            raise UnsupportedEncoding(f"{len(names)} stacked content-encodings ({content_encoding!r})")
        self._layers = [_layer(name) for name in reversed(names)] or [_Identity()]
        self._produced = [0] * len(self._layers)
        self._judge = judge
        self._wire = 0
        self._wire_step = WIRE_STEP if names else 0

    def feed(self, raw: bytes) -> Iterator[bytes]:
        """The decoded bytes of the next network read, a bounded step at a time; TooLarge once any layer's
        output passes the judge's limits. The judge sees as read only what has entered the first layer."""
        step = self._wire_step or max(len(raw), 1)
        for start in range(0, len(raw), step):
            part = raw[start : start + step]
            self._wire += len(part)
            yield from self._through(0, part)

    def _through(self, index: int, data: bytes) -> Iterator[bytes]:
        if index == len(self._layers):
            yield data
            return
        layer = self._layers[index]
        # a search over the judge per network read: only for a layer that stops itself at the allowance
        allowance = self._allowance(index) if layer.stops_at_allowance else 0
        pieces = layer.feed(data, allowance)
        while True:
            try:
                piece = next(pieces)
            except StopIteration:
                return
            except TooLarge:  # the layer stopped itself at its allowance: judged as if it had gone on
                over = self._produced[index] + allowance + 1
                raise TooLarge(self._judge(self._wire, over) or "decoded past the limit") from None
            self._produced[index] += len(piece)
            problem = self._judge(self._wire, self._produced[index])
            if problem is not None:
                raise TooLarge(problem)
            yield from self._through(index + 1, piece)

    def _allowance(self, index: int) -> int:
        """How much more layer ``index`` may produce and still pass the judge: a layer that stops itself
        there (zstd's sink) holds no more than the limit allows."""
        produced = self._produced[index]
        low, high = produced, produced + (1 << 40)
        while low < high:  # the judge is monotone in the output: find its first refusal
            middle = (low + high) // 2
            if self._judge(self._wire, middle) is None:
                low = middle + 1
            else:
                high = middle
        return low - 1 - produced
