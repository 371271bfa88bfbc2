"""Invitation letters, read back: the words with pdftotext, the QR codes with zbarimg, the tags
with pypdf.

Reading needs ``pdftotext``/``pdftoppm`` (Debian's ``poppler-utils``) and ``zbarimg`` (Debian's
``zbar-tools``): without them these tests skip with the reason, and fail under ``CI=true``.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import statistics
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from reports.letters import Letter, LettersError, Mailing, letters_pdf
from surveys.codes import printed
from surveys.links import code_address, code_link, privacy_link
from surveys.privacy import Contact
from surveys.vocabulary import EASY_READ, STANDARD

BASE = "https://monitor.example.nl"
CONTACT = Contact("Gemeente Tilburg, team Wmo", "14 013", "wmo@tilburg.nl", "https://tilburg.nl")
MAILING = Mailing(
    survey="client",
    koploper="tilburg",
    koploper_name="Tilburg",
    koploper_kind="gemeente",
    contact=CONTACT,
    closing=dt.date(2027, 3, 14),
    base=BASE,
    minutes=10,
)
LETTERS = [
    Letter(1, "K7QM2XPD", STANDARD),
    Letter(2, "AB12CD34", STANDARD),
    Letter(3, "ZZ99YY88", EASY_READ),
    Letter(1204, "0H1J2K3M", STANDARD),
    Letter(1205, "NPQRSTVW", EASY_READ),
]


def tool(in_ci: bool, name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        if in_ci:
            pytest.fail(f"{name} not found (apt-get install {package}): under CI=true it must run")
        pytest.skip(f"{name} not found (apt-get install {package}); letters test skipped")
    return path


@pytest.fixture(scope="module")
def pdftotext(in_ci) -> str:
    return tool(in_ci, "pdftotext", "poppler-utils")


@pytest.fixture(scope="module")
def zbarimg(in_ci) -> str:
    tool(in_ci, "pdftoppm", "poppler-utils")
    return tool(in_ci, "zbarimg", "zbar-tools")


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return letters_pdf(MAILING, LETTERS)


@pytest.fixture(scope="module")
def reminder_pdf() -> bytes:
    return letters_pdf(Mailing(**{**MAILING.__dict__, "reminder": True}), LETTERS[:2])


def pages_text(pdftotext: str, data: bytes) -> list[str]:
    """The text of each page, white space made single."""
    out = subprocess.run(
        [pdftotext, "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode("utf-8")
    return [" ".join(page.split()) for page in out.split("\f")[:-1]]


@pytest.fixture(scope="module")
def texts(pdf, pdftotext) -> list[str]:
    return pages_text(pdftotext, pdf)


def test_one_a4_page_per_code_in_order_each_with_its_code_and_number(pdf, texts):
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == len(LETTERS) == len(texts)
    for page in reader.pages:
        assert [round(float(v)) for v in page.mediabox[2:]] == [595, 842]
    for letter, text in zip(LETTERS, texts, strict=True):
        codes = re.findall(r"\b[0-9A-Z]{4}-[0-9A-Z]{4}\b", text)
        assert codes == [printed(letter.code)]
        assert text.endswith(f"Briefnummer {letter.number}")


def test_every_letter_says_who_asks_why_how_and_until_when(texts):
    for letter, text in zip(LETTERS, texts, strict=True):
        easy = letter.language == EASY_READ
        assert "Gemeente Tilburg, team Wmo" in text  # the sender, from the contact
        assert "De gemeente Tilburg wil" in text  # who asks
        assert "cliëntondersteun" in text  # why: the client support
        assert ("Meedoen mag. Het hoeft niet." if easy else "Meedoen is vrijwillig.") in text
        assert ("Wij vragen niet naar uw naam" if easy else "anoniem") in text
        assert "ongeveer 10 minuten" in text
        assert code_address(BASE) in text
        assert "14 maart 2027" in text
        assert "14 013" in text and "wmo@tilburg.nl" in text
        assert ("op papier? Bel 14 013" if easy else "Liever op papier? Bel 14 013") in text
        language = letter.language if easy else None
        assert privacy_link(BASE, "tilburg", language) in text
        assert "QR-code" in text


def test_a_letter_without_phone_asks_for_paper_by_mail_and_without_minutes_says_none(pdftotext):
    mailing = Mailing(
        **{
            **MAILING.__dict__,
            "contact": Contact("Gemeente Tilburg", email="wmo@tilburg.nl"),
            "minutes": None,
        }
    )
    [text] = pages_text(pdftotext, letters_pdf(mailing, LETTERS[:1]))
    assert "Liever op papier? Mail naar wmo@tilburg.nl" in text
    assert "minuten" not in text and "Telefoon" not in text


PANEL_SENTENCE = (
    "Uw antwoorden krijgen een nummer zonder naam, zodat we ze kunnen vergelijken met uw "
    "antwoorden bij de {} meting."
)
ANONYMOUS = "niemand kan zien welke antwoorden van u zijn"
MIXED = [
    Letter(1, "K7QM2XPD", STANDARD),
    Letter(2, "AB12CD34", STANDARD, panel=True),
    Letter(3, "ZZ99YY88", STANDARD, panel=True, earlier=1204),
    Letter(4, "0H1J2K3M", EASY_READ),
    Letter(5, "NPQRSTVW", EASY_READ, panel=True),
    Letter(6, "99999999", EASY_READ, panel=True, earlier=99_999_999),
    Letter(7, "EFGH2345", STANDARD),
]


def test_a_panel_letter_promises_a_number_without_a_name_not_anonymity(pdftotext):
    data = letters_pdf(MAILING, MIXED)
    texts = pages_text(pdftotext, data)
    assert len(texts) == len(MIXED)
    for letter, text in zip(MIXED, texts, strict=True):
        assert re.findall(r"\b[0-9A-Z]{4}-[0-9A-Z]{4}\b", text) == [printed(letter.code)]
        follow_up = letter.earlier is not None
        if letter.earlier is None:
            assert text.endswith(f"Briefnummer {letter.number}")
            assert "Vorig briefnummer" not in text
        else:
            assert text.endswith(f"Briefnummer {letter.number} Vorig briefnummer: {letter.earlier}")
        if letter.language == STANDARD:
            assert "Meedoen is vrijwillig." in text
            assert (PANEL_SENTENCE.format("vorige") in text) is (letter.panel and follow_up)
            assert (PANEL_SENTENCE.format("volgende") in text) is (letter.panel and not follow_up)
            assert (ANONYMOUS in text) is not letter.panel
            assert ("anoniem" in text) is not letter.panel
        else:
            assert "Meedoen mag. Het hoeft niet." in text
            panel = "U hoort bij een panel. Wij stellen u deze vragen vaker. Uw antwoorden krijgen "
            panel += "een nummer. Er staat geen naam bij. Zo kunnen we uw antwoorden vergelijken"
            assert (panel in text) is letter.panel
            if letter.panel:
                when = "de vorige keer" if follow_up else "de volgende keer"
                assert f"vergelijken met {when}." in text
    assert "Vorig briefnummer: 99999999" in texts[5]  # the placeholder's own digits, as a number


def test_an_earlier_letter_number_too_long_to_print_is_refused():
    with pytest.raises(LettersError, match="past niet"):
        letters_pdf(MAILING, [Letter(1, "K7QM2XPD", STANDARD, panel=True, earlier=10**8)])


def word_heights(pdftotext: str, data: bytes, page: int) -> float:
    out = subprocess.run(
        [pdftotext, "-bbox", "-f", str(page), "-l", str(page), "-", "-"],
        input=data,
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    boxes = re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', out)
    return statistics.median(float(bottom) - float(top) for top, bottom in boxes)


def test_the_easy_read_letter_has_larger_type(pdf, pdftotext):
    standard = word_heights(pdftotext, pdf, 1)
    easy = word_heights(pdftotext, pdf, 3)
    assert easy >= 1.2 * standard


def test_each_qr_code_holds_the_letters_personal_link(pdf, zbarimg, tmp_path):
    subprocess.run(
        ["pdftoppm", "-r", "110", "-png", "-", str(tmp_path / "page")], input=pdf, check=True
    )
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == len(LETTERS)
    for letter, image in zip(LETTERS, images, strict=True):
        found = subprocess.run(
            [zbarimg, "--quiet", "--raw", str(image)], capture_output=True, text=True
        )
        assert found.stdout.split() == [code_link(BASE, letter.code)]


def test_a_reminder_opens_with_the_reminders_words(reminder_pdf, pdftotext):
    texts = pages_text(pdftotext, reminder_pdf)
    assert len(texts) == 2
    for text in texts:
        assert "Enkele weken geleden kreeg u een brief" in text
        assert "Heeft u al meegedaan? Dan hoeft u niets te doen." in text
        assert "Herinnering" in text


def test_hostile_names_and_contacts_stay_text(pdftotext):
    hostile = '<b>Evil</b> & "quoted" <script>alert(1)</script>'
    mailing = Mailing(
        **{
            **MAILING.__dict__,
            "koploper_name": hostile,
            "contact": Contact(hostile, "14 013<i>", "x@y.nl</p><p>", "javascript:alert(1)"),
        }
    )
    data = letters_pdf(mailing, LETTERS[:1])
    [text] = pages_text(pdftotext, data)
    assert text.count('<b>Evil</b> & "quoted" <script>alert(1)</script>') >= 2
    assert "14 013<i>" in text and "x@y.nl</p><p>" in text
    assert "&lt;" not in text  # escaped once, printed as the characters themselves


def test_a_letter_that_does_not_fit_on_one_page_is_refused_not_cut():
    mailing = Mailing(**{**MAILING.__dict__, "koploper_name": "Heel lange naam " * 400})
    with pytest.raises(LettersError, match="past niet op één A4"):
        letters_pdf(mailing, LETTERS[:1])


def test_no_letters_or_an_unknown_register_is_refused():
    with pytest.raises(LettersError, match="geen codes"):
        letters_pdf(MAILING, [])
    with pytest.raises(LettersError, match="taal"):
        letters_pdf(MAILING, [Letter(1, "K7QM2XPD", "en")])


def test_a_long_run_tells_its_progress_and_keeps_every_letter(pdftotext):
    many = [Letter(n, f"{n:08d}".replace("0", "A"), STANDARD) for n in range(1, 302)]
    told: list[tuple[int, int]] = []
    data = letters_pdf(MAILING, many, progress=lambda done, total: told.append((done, total)))
    assert told == [(250, 301), (301, 301)]
    texts = pages_text(pdftotext, data)
    assert [re.findall(r"Briefnummer (\d+)", text) for text in texts] == [
        [str(n)] for n in range(1, 302)
    ]


# --- the tags (PDF/UA-1) ----------------------------------------------------------------------


def resolve(value):
    return value.get_object() if isinstance(value, IndirectObject) else value


def test_the_pdf_is_tagged_in_dutch_with_a_title(pdf):
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "nl"
    assert root["/MarkInfo"]["/Marked"] in (True, "true")
    assert root["/ViewerPreferences"]["/DisplayDocTitle"] in (True, "true")
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert 'pdfuaid:part="1"' in xmp
    title = "Uitnodiging onderzoek cliëntondersteuning – Tilburg"
    assert reader.metadata.title == title and f"{title}</rdf:li>" in xmp


def test_every_page_has_its_own_tags_for_all_its_marked_content(pdf):
    reader = PdfReader(io.BytesIO(pdf))
    tree = resolve(reader.trailer["/Root"]["/StructTreeRoot"])
    nums = tree["/ParentTree"]["/Nums"]
    parents = dict(zip(nums[::2], nums[1::2], strict=True))
    [document] = tree["/K"]
    assert resolve(document)["/S"] == "/Document"
    sections = [resolve(kid) for kid in resolve(document)["/K"]]
    assert len(sections) == len(reader.pages)
    for number, page in enumerate(reader.pages):
        content = page.get_contents().get_data()
        marked = [int(m) for m in re.findall(rb"<</MCID (\d+)>>", content)]
        assert marked == list(range(len(marked)))
        elements = parents[page["/StructParents"]]
        assert len(elements) == len(marked)
        for mcid, element in enumerate(elements):
            element = resolve(element)
            assert element.raw_get("/Pg").idnum == page.indirect_reference.idnum
            kids = element["/K"]
            assert mcid in (list(kids) if isinstance(kids, ArrayObject) else [kids])
        tags = set()

        def walk(element, tags=tags):
            element = resolve(element)
            if isinstance(element, DictionaryObject):
                tags.add(str(element["/S"]))
                if element["/S"] == "/Figure":
                    assert "QR-code" in str(element["/Alt"])
                kids = element.get("/K")
                for kid in kids if isinstance(kids, ArrayObject) else [kids]:
                    walk(kid)

        assert sections[number].raw_get("/Pg").idnum == page.indirect_reference.idnum
        walk(sections[number])
        assert {"/Sect", "/H1", "/P", "/Figure"} <= tags
        assert "/Annots" not in page


def test_the_file_is_well_formed_for_poppler(pdf, pdftotext, tmp_path):
    path = Path(tmp_path / "letters.pdf")
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    assert "Tagged:          yes" in info.stdout
    assert info.stderr == ""
    assert f"Pages:           {len(LETTERS)}" in info.stdout
