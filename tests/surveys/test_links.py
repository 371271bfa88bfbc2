"""Respondent links on the public address, and QR codes that print well."""

from __future__ import annotations

import struct

import pytest

from surveys.links import (
    code_address,
    code_link,
    privacy_link,
    public_base,
    qr_file_name,
    qr_png,
    qr_svg,
    respondent_link,
)
from surveys.vocabulary import AUDIENCES

LINK = "https://monitor.example.nl/respond?survey=client&koploper=tilburg&wave=T2"


@pytest.mark.parametrize(
    ("configured", "visited", "base"),
    [
        ("https://monitor.example.nl/", "http://10.0.0.5:8501/veldwerk", "https://monitor.example.nl"),
        (" https://movisie.nl/km ", None, "https://movisie.nl/km"),
        (None, "https://monitor.example.nl:8443/veldwerk?koploper=breda", "https://monitor.example.nl:8443"),
        ("", "http://localhost:8501/veldwerk", "http://localhost:8501"),
        (None, None, "http://localhost:8501"),
        (None, "javascript:alert(1)", "http://localhost:8501"),
    ],
)  # fmt: skip
def test_the_base_is_the_configured_address_else_the_visited_host(configured, visited, base):
    assert public_base(configured, visited) == base


def test_a_respondent_link_is_the_one_the_respond_page_reads():
    assert respondent_link("https://monitor.example.nl", "client", "tilburg", "T2") == LINK


def test_qr_files_are_named_after_koploper_wave_and_audience():
    names = [qr_file_name("tilburg", "T2", audience, "png") for audience in AUDIENCES]
    assert names == ["qr-tilburg-T2-inwoners.png", "qr-tilburg-T2-professionals.png"]


def test_the_png_is_large_enough_for_a_poster_at_300_dpi():
    png = qr_png(LINK)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", png[16:24])  # the IHDR chunk comes first
    assert width == height >= 1000  # at 300 dpi at least 8.5 cm wide
    assert b"pHYs" in png  # the resolution is written, so it prints at its size


def test_the_svg_is_scalable_and_titled_for_screen_readers():
    svg = qr_svg(LINK, "QR-code: vragenlijst inwoners & cliënten, Tilburg")
    assert svg.lstrip().startswith(b"<?xml") and b"<svg" in svg
    assert "<title>QR-code: vragenlijst inwoners &amp; cliënten, Tilburg</title>".encode() in svg
    assert b'width="' in svg and b'mm"' in svg


def test_a_codes_personal_link_and_the_short_address_of_a_letter():
    base = public_base("https://monitor.example.nl/", None)
    assert code_link(base, "K7QM2XPD") == "https://monitor.example.nl/code?c=K7QM2XPD"
    assert code_address(base) == "https://monitor.example.nl/code"


def test_a_letter_points_at_the_koplopers_privacy_notice_in_its_register():
    base = "https://monitor.example.nl"
    assert privacy_link(base, "tilburg") == f"{base}/privacy?koploper=tilburg"
    easy = privacy_link(base, "regio-twente", "nl-eenvoudig")
    assert easy == f"{base}/privacy?koploper=regio-twente&lang=nl-eenvoudig"
