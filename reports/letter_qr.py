"""A letter's QR code as PDF drawing operators, made by segno and chosen the way segno chooses.

A QR code is masked with one of eight patterns; ISO/IEC 18004 (7.8.3) asks for the one with the
lowest penalty score, and segno finds it by scoring all eight in Python, some 4 ms a code: 40 s
for 10,000 letters. Here segno encodes the link with mask 0 (the data, the error correction and
the function patterns are all segno's), and the eight penalty scores are counted at once with
numpy, by segno's own rules (its ``mask_scores``: runs, blocks, finder-like patterns, balance);
segno's functions then write the format information for the chosen mask. The result is the very
matrix ``segno.make(link, error="m")`` gives (tests/reports/test_letter_qr.py checks that on
hundreds of links), in about a quarter of the time.

:func:`qr_path` turns the dark modules into rectangles, one per horizontal run, in the units of
the letter's placeholder (one module a unit, the quiet zone included).
"""

from __future__ import annotations

import functools

import numpy as np
import segno
from segno import encoder

from surveys.links import QR_ERROR

BORDER = 4
"""Light modules around the code, as the standard asks (the quiet zone)."""
N3_PATTERN = bytes((1, 0, 1, 1, 1, 0, 1))


@functools.cache
def _layout(version: int) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
    """Per QR version: its width, where the data modules are, the function patterns (with the
    format areas light, as segno scores them) and the eight mask patterns on the data modules."""
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
    return width, region, base, (masks & region).astype(np.uint8)


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
    first = segno.make(link, error=QR_ERROR, micro=False, mask=0)
    version = first._version  # segno's version constant, as its encoder functions take it
    width, region, base, masks = _layout(version)
    plain = np.where(region, np.array(first.matrix, dtype=np.uint8) ^ masks[0], base)
    candidates = np.where(region, plain[None] ^ masks, base[None])
    scores = _scores(candidates, width)
    best = scores.index(min(scores))  # the first lowest, as segno takes it
    if best == 0:
        return tuple(bytearray(row) for row in first.matrix)
    matrix = tuple(bytearray(row) for row in candidates[best].tolist())
    encoder.add_format_info(matrix, version, first._error, best)
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
