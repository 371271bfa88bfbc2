"""A letter's QR code is the very code segno makes, its mask chosen the way segno chooses."""

from __future__ import annotations

import re

import pytest
import segno

from reports.letter_qr import BORDER, qr_matrix, qr_path, qr_size
from surveys.codes import new_code
from surveys.links import QR_ERROR, code_link

BASES = (
    "https://monitor.example.nl",
    "http://localhost:8501",
    "https://koplopermonitor.gemeente-voorbeeld.nl/onderzoek/clientondersteuning",
)


def segno_matrix(link: str) -> tuple[bytearray, ...]:
    return tuple(bytearray(row) for row in segno.make(link, error=QR_ERROR, micro=False).matrix)


@pytest.mark.parametrize("base", BASES)
def test_the_matrix_is_segnos_own_for_hundreds_of_codes(base):
    masks = set()
    for _ in range(40):
        link = code_link(base, new_code())
        assert qr_matrix(link) == segno_matrix(link), link
        masks.add(segno.make(link, error=QR_ERROR, micro=False).mask)
    assert len(masks) >= 4  # the choice among the masks is what is checked, not one mask


def test_every_mask_is_chosen_somewhere_and_matches():
    seen: dict[int, str] = {}
    while len(seen) < 8:
        link = code_link(BASES[0], new_code())
        seen.setdefault(segno.make(link, error=QR_ERROR, micro=False).mask, link)
    for link in seen.values():
        assert qr_matrix(link) == segno_matrix(link)


def test_the_path_fills_exactly_the_dark_modules():
    link = code_link(BASES[0], "K7QM2XPD")
    matrix = qr_matrix(link)
    filled = set()
    for x, y, width in re.findall(rb"(\d+) (\d+) (\d+) 1 re", qr_path(matrix)):
        for column in range(int(x), int(x) + int(width)):
            assert (column, int(y)) not in filled  # no module drawn twice
            filled.add((column, int(y)))
    dark = {
        (column + BORDER, row + BORDER)
        for row, modules in enumerate(matrix)
        for column, module in enumerate(modules)
        if module
    }
    assert filled == dark
    assert qr_size(matrix) == len(matrix) + 2 * BORDER
    assert qr_path(matrix).startswith(b"0 g\n") and qr_path(matrix).endswith(b"f\n")
