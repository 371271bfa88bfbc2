"""A letter's QR code as PDF drawing operators, made by segno and chosen the way segno chooses.

``segno.make`` takes some 4 ms a code (most of it placing bits and trying the eight mask
patterns one module at a time in Python): 40 s for 10,000 letters. Here segno's encoder functions
make the message (the data and its error correction, as ``segno.make`` does), numpy places its
bits in the order segno's ``add_codewords`` fills a symbol of that version (found once per
version), applies the eight masks and counts their penalty scores at once by segno's own rules
(its ``mask_scores``: runs, blocks, finder-like patterns, balance; ISO/IEC 18004 7.8.3), and
segno's functions write the format and version information for the chosen mask. The result is
the very matrix ``segno.make(link, error="m")`` gives (tests/reports/test_letter_qr.py checks that
on hundreds of links), in a fraction of the time.

:func:`qr_path` turns the dark modules into rectangles, one per horizontal run, in the units of
the letter's placeholder (one module a unit, the quiet zone included).
"""

from __future__ import annotations

import functools
from itertools import chain, zip_longest

import numpy as np
from segno import consts, encoder

from surveys.links import QR_ERROR

BORDER = 4
"""Light modules around the code, as the standard asks (the quiet zone)."""
N3_PATTERN = bytes((1, 0, 1, 1, 1, 0, 1))


@functools.cache
def _layout(version: int) -> tuple[int, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per QR version: its width, where the data modules are, the function patterns (with the
    format areas light, as segno scores them), the eight mask patterns on the data modules, and
    the data modules in the order segno fills them (found by letting ``add_codewords`` fill in
    numbers instead of bits)."""
    width = encoder.calc_matrix_size(version)
    matrix = encoder.make_matrix(width, width)
    encoder.add_finder_patterns(matrix, width, width)
    encoder.add_alignment_patterns(matrix, width, width)
    base = np.array(matrix, dtype=np.uint8)
    region = base > 1  # segno's "encoding region": not yet a function module
    base[region] = 0
    masks = np.array(
        [
            [[bool(pattern(i, j)) for j in range(width)] for i in range(width)]
            for pattern in encoder.get_data_mask_functions(False)
        ]
    )
    numbered = [list(row) for row in matrix]
    cells = int(region.sum())
    encoder.add_codewords(numbered, range(3, 3 + cells), version)
    flat = np.array(numbered, dtype=np.int64).ravel()
    order = np.empty(cells, dtype=np.int64)
    order[flat[flat >= 3] - 3] = np.flatnonzero(flat >= 3)
    return width, region, base, (masks & region).astype(np.uint8), order


def _message(link: str) -> tuple[int, int, np.ndarray]:
    """segno's version, error level and final message bits (data and error correction
    codewords interleaved) for ``link``, as ``segno.make(link, error="m")`` makes them."""
    error = encoder.normalize_errorlevel(QR_ERROR)
    segments = encoder.prepare_data(link, None, None)
    version = encoder.find_version(segments, error, eci=False, micro=False)
    error = encoder.boost_error_level(version, error, segments, False)
    buff = encoder.Buffer()
    ranges = encoder.version_range(version)
    for segment in segments:
        encoder.write_segment(buff, segment, None, ranges, False)
    capacity = consts.SYMBOL_CAPACITY[version][error]
    encoder.write_terminator(buff, capacity, None, len(buff))
    encoder.write_padding_bits(buff, version, len(buff))
    encoder.write_pad_codewords(buff, version, capacity, len(buff))
    data, corrections = encoder.make_blocks(consts.ECC[version][error], buff)
    words = bytes(
        word
        for blocks in (data, corrections)
        for word in chain.from_iterable(zip_longest(*blocks))
        if word is not None
    )
    return version, error, np.unpackbits(np.frombuffer(words, dtype=np.uint8))


def _finder_like(lines: bytes, width: int, count: int) -> list[int]:
    """Penalty N3 of each candidate, exactly as segno counts it line by line: ``lines`` holds
    every row, then every column, of each candidate in turn, each line followed by a 2 (no
    module's value) so that no pattern runs from one line into the next."""
    step = width + 1
    points = [0] * count
    found = lines.find(N3_PATTERN)
    while found != -1:
        start = found - found % step  # where this line begins
        at, end = found - start, start + width
        offset = found + 7
        if (
            at in (0, width - 7)
            or not any(lines[max(found - 4, start) : found])
            or not any(lines[offset : min(offset + 4, end)])
        ):
            points[found // (2 * width * step)] += 40
        else:
            offset = found + 4
        found = lines.find(N3_PATTERN, offset)
    return points


def _scores(candidates: np.ndarray, width: int) -> list[int]:
    """The penalty score of each candidate matrix (segno's ``evaluate_mask``)."""
    count = len(candidates)
    lines = np.concatenate(
        [candidates.reshape(count * width, width), candidates.transpose(0, 2, 1).reshape(-1, width)]
    )
    # N1: every run of five or more modules of one colour in a row or column scores its length - 2
    edges = np.ones((len(lines), width + 1), dtype=bool)
    edges[:, 1:width] = lines[:, 1:] != lines[:, :-1]
    starts = np.flatnonzero(edges)
    runs = np.diff(starts)
    line_of = starts[:-1] // (width + 1)
    points = np.where(runs >= 5, runs - 2, 0)
    n1 = np.bincount((line_of % (count * width)) // width, weights=points, minlength=count)
    # N2: 3 for every 2 x 2 block of one colour
    corner = candidates[:, 1:, 1:]
    same = (
        (corner == candidates[:, 1:, :-1])
        & (corner == candidates[:, :-1, 1:])
        & (corner == candidates[:, :-1, :-1])
    )
    n2 = 3 * same.sum(axis=(1, 2))
    # N3: rows then columns, as bytes (segno searches them with bytearray.find)
    both = np.concatenate([candidates, candidates.transpose(0, 2, 1)], axis=1)
    separated = np.full((count, 2 * width, width + 1), 2, dtype=np.uint8)
    separated[:, :, :width] = both
    n3 = _finder_like(separated.tobytes(), width, count)
    # N4: 10 for every 5 % that the share of dark modules is away from half
    dark = candidates.sum(axis=(1, 2))
    scores = []
    for number in range(count):
        percent = float(dark[number]) / (width**2)
        n4 = 10 * int(abs(percent * 100 - 50) / 5)
        scores.append(int(n1[number]) + int(n2[number]) + n3[number] + n4)
    return scores


def qr_matrix(link: str) -> tuple[bytearray, ...]:
    """The QR code of ``link`` (medium error correction) as rows of 0 (light) and 1 (dark),
    without the quiet zone: the matrix ``segno.make(link, error="m", micro=False)`` makes."""
    version, error, bits = _message(link)
    width, region, base, masks, order = _layout(version)
    plain = base.copy().ravel()
    plain[order] = 0  # the remainder bits after the message are light
    plain[order[: len(bits)]] = bits
    plain = plain.reshape(width, width)
    candidates = np.where(region, plain[None] ^ masks, base[None])
    scores = _scores(candidates, width)
    best = scores.index(min(scores))  # the first lowest, as segno takes it
    matrix = tuple(bytearray(row) for row in candidates[best].tolist())
    encoder.add_format_info(matrix, version, error, best)
    encoder.add_version_info(matrix, version)
    return matrix


def qr_size(matrix: tuple[bytearray, ...]) -> int:
    """The code's width in modules with its quiet zone: the units of :func:`qr_path`."""
    return len(matrix) + 2 * BORDER


def qr_path(matrix: tuple[bytearray, ...]) -> bytes:
    """PDF operators filling every dark module black, one rectangle per run in a row; x to the
    right and y down from the quiet zone's corner, one unit a module."""
    parts = [b"0 g\n"]
    for y, row in enumerate(matrix, start=BORDER):
        x = 0
        width = len(row)
        while x < width:
            if row[x]:
                end = x
                while end < width and row[end]:
                    end += 1
                parts.append(b"%d %d %d 1 re\n" % (x + BORDER, y, end - x))
                x = end
            else:
                x += 1
    parts.append(b"f\n")
    return b"".join(parts)
