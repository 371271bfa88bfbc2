"""Many pages from a few: a tagged PDF whose pages are written again and again, each time with
parts of its content replaced, keeping the tags (PDF/UA).

WeasyPrint lays out about a hundred letters a second, and 10,000 letters differ only in a code,
a letter number and a QR code. So WeasyPrint lays out one page of each kind once (with
placeholders), and :class:`PageTemplates` writes the real pages from them: per page a copy of
the template's page object with its own content stream, and a copy of the template's part of the
structure tree (the same headings, paragraphs and figure, with the same marked-content ids), all
of it listed in the document's ``ParentTree``. Fonts, images and the rest of the resources are
shared by every page, as WeasyPrint made them: a font subset holds every glyph the template
document used, so a replaced text must use glyphs that the document already holds (the caller
lays them out on a page of its own, which is then left out).

Only what WeasyPrint's PDF/UA-1 writer makes is read: a page tree, a structure tree of
``StructElem`` objects whose kids are elements or marked-content ids, no annotations (links).
Anything else raises :class:`UnsupportedTemplate`, so nothing untagged slips through.
"""

from __future__ import annotations

import hashlib
import io
import re
import zlib
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NumberObject,
    PdfObject,
)

# What the writer makes again itself; never copied from the template document.
_PAGE_OWN = {"/Type", "/Parent", "/Contents", "/StructParents"}
_ELEMENT_OWN = {"/Type", "/P", "/K", "/Pg"}
_CATALOG_SKIPPED = {"/Type", "/Pages", "/StructTreeRoot", "/Outlines", "/Names", "/Dests"}
_TJ_GLYPH = re.compile(rb"<([0-9a-fA-F]+)>(-?[0-9.]+)")
_TEXT = re.compile(rb"/(?P<font>[^\s/\[\]<>()]+)\s+[-0-9.]+\s+Tf|\[(?P<array>[^\]]*)\]\s*TJ")
Part = bytes | int
"""A piece of an object to write: bytes as they are, or a reference: to a structure element of
the same page (an int >= 0, its place among them) or to another object (an int < 0: -1 the page
tree, -2 the Document element, -3 the page)."""
PAGES, DOCUMENT, PAGE = -1, -2, -3
OBJECTS_PER_STREAM = 200
"""Small objects (pages, structure elements) are packed this many to a compressed stream."""


@dataclass(frozen=True)
class Text:
    """One ``TJ`` text of a page: its font's resource name, its glyph ids (4 hex digits) and
    where its array's inside starts and ends in the content stream."""

    font: bytes
    glyphs: tuple[str, ...]
    start: int
    end: int


def glyph_array(glyphs: Sequence[str]) -> bytes:
    """A ``TJ`` array's inside for ``glyphs``, as WeasyPrint writes it: no kerning."""
    return b"".join(b"<%s>0" % glyph.encode("ascii") for glyph in glyphs)


class UnsupportedTemplate(ValueError):
    """The template PDF holds something this writer cannot copy with its tags."""


def _serialised(value: PdfObject) -> bytes:
    out = io.BytesIO()
    value.write_to_stream(out)
    return out.getvalue()


def _resolved(value: PdfObject) -> PdfObject:
    return value.get_object() if isinstance(value, IndirectObject) else value


@dataclass
class _Template:
    """One page to repeat: its content, and its page and structure objects as parts."""

    page: bytes
    """The page object's own entries (resources, boxes, …), as they are."""
    elements: list[list[Part]]
    top: list[int]
    """The elements that hang under the Document element."""
    marked: list[int]
    """The element of each marked-content id 0, 1, …: the page's entry in the ParentTree."""


class PageTemplates:
    """The pages of a WeasyPrint PDF/UA document, ready to be written many times."""

    def __init__(self, pdf: bytes, templates: Sequence[int]):
        self.reader = PdfReader(io.BytesIO(pdf))
        root = self.reader.trailer["/Root"]
        self.catalog = root
        tree = _resolved(root["/StructTreeRoot"])
        self.tree = tree
        documents = [_resolved(kid) for kid in self._kids(tree)]
        if len(documents) != 1 or documents[0].get("/S") != "/Document":
            raise UnsupportedTemplate("the structure tree does not start with one Document")
        self.document = documents[0]
        self.pages = [self.reader.pages[number] for number in range(len(self.reader.pages))]
        self._numbers = list(templates)
        self._templates = [self._template(number) for number in templates]

    # --- reading the template document --------------------------------------------------------

    @staticmethod
    def _kids(element: DictionaryObject) -> list[PdfObject]:
        kids = element.get("/K")
        if kids is None:
            return []
        kids = _resolved(kids)
        return list(kids) if isinstance(kids, ArrayObject) else [kids]

    def content(self, number: int) -> bytes:
        """The decoded content stream of page ``number`` of the template document."""
        return self.pages[number].get_contents().get_data()

    def texts(self, number: int) -> list[Text]:
        """Every ``TJ`` text on page ``number``, in order, with its font and its glyphs: how
        the page writes what the caller laid out there, one glyph per character. (Kerning is
        left out: a text found by its glyphs is replaced only where it is written unkerned,
        see :func:`glyph_array`.)"""
        found = []
        font = b""
        content = self.content(number)
        for match in _TEXT.finditer(content):
            if match["font"] is not None:
                font = match["font"]
                continue
            pairs = _TJ_GLYPH.findall(match["array"])
            glyphs = tuple(glyph.decode("ascii").lower() for glyph, _ in pairs)
            found.append(Text(font, glyphs, match.start("array"), match.end("array")))
        return found

    def _template(self, number: int) -> _Template:
        page = self.pages[number]
        if "/Annots" in page:
            raise UnsupportedTemplate("a template page has links or other annotations")
        reference = page.indirect_reference
        top = [kid for kid in self._kids(self.document) if _resolved(kid).get("/Pg") == reference]
        if not top:
            raise UnsupportedTemplate(f"page {number + 1} has no tagged content")
        objects: list[list[Part]] = []
        marked: dict[int, int] = {}

        def clone(element: DictionaryObject, parent: int) -> int:
            offset = len(objects)
            parts: list[Part] = [b"<</Type /StructElem"]
            objects.append(parts)
            for key, value in element.items():
                if key not in _ELEMENT_OWN:
                    parts.append(_serialised(key) + b" " + _serialised(value))
            kids: list[Part] = []
            for kid in self._kids(element):
                if isinstance(kid, NumberObject):
                    marked[int(kid)] = offset
                    kids.append(b"%d " % int(kid))
                    continue
                child = _resolved(kid)
                if not isinstance(child, DictionaryObject) or child.get("/Type") != "/StructElem":
                    raise UnsupportedTemplate(
                        "a structure element holds something other than elements and marked content"
                    )
                if child.get("/Pg") not in (None, reference):
                    raise UnsupportedTemplate("a template page's element runs onto another page")
                kids += [clone(child, offset), b" "]
            parts += [b"/K [", *kids, b"]/Pg ", PAGE, b"/P ", parent, b">>"]
            return offset

        tops = [clone(_resolved(kid), DOCUMENT) for kid in top]
        if sorted(marked) != list(range(len(marked))):
            raise UnsupportedTemplate("the marked-content ids of a page are not 0, 1, 2, …")
        rest = b"".join(
            _serialised(key) + b" " + _serialised(value)
            for key, value in page.items()
            if key not in _PAGE_OWN
        )
        return _Template(
            page=rest,
            elements=objects,
            top=tops,
            marked=[marked[mcid] for mcid in range(len(marked))],
        )

    def _shared(self) -> dict[int, PdfObject]:
        """Every object the written pages share (resources, fonts, metadata, …) by number."""
        found: dict[int, PdfObject] = {}

        def visit(value: PdfObject) -> None:
            if isinstance(value, IndirectObject):
                if value.idnum in found:
                    return
                target = value.get_object()
                found[value.idnum] = target
                visit(target)
            elif isinstance(value, DictionaryObject):  # a stream's dictionary too
                for item in value.values():
                    visit(item)
            elif isinstance(value, ArrayObject):
                for item in value:
                    visit(item)

        for number in self._numbers:
            for key, value in self.pages[number].items():
                if key not in _PAGE_OWN:
                    visit(value)
        for key, value in self.catalog.items():
            if key not in _CATALOG_SKIPPED:
                visit(value)
        for key in ("/RoleMap", "/ClassMap"):
            if key in self.tree:
                visit(self.tree.raw_get(key))
        for key, value in self.document.items():
            if key not in _ELEMENT_OWN:
                visit(value)
        if "/Info" in self.reader.trailer:
            visit(self.reader.trailer.raw_get("/Info"))
        return found

    # --- writing --------------------------------------------------------------------------------

    def write(
        self, pieces: Sequence[Sequence[bytes]], pages: Iterable[tuple[int, Sequence[bytes]]]
    ) -> bytes:
        """The document of ``pages``, in order: (template number, its own streams) for each.

        A page's content is its template's ``pieces`` with the page's own streams between
        them: ``pieces[t][0]``, own stream 0, ``pieces[t][1]``, …, written as one array of
        streams (the pieces once for all pages, compressed). An own stream is an object's body
        made by :func:`stream`. The template number counts the ``templates`` given when made."""
        writer = _Writer(int(self.reader.trailer["/Size"]))
        for number, value in sorted(self._shared().items()):
            writer.add(_serialised(value), number)
        shared = [[writer.add(stream(piece)) for piece in template] for template in pieces]
        pages_node, document, tree, parent_tree = (writer.reserve() for _ in range(4))
        page_numbers: list[int] = []
        tops: list[int] = []
        parents: list[bytes] = []
        for index, (which, own) in enumerate(pages):
            template = self._templates[which]
            fixed = shared[which]
            if len(own) != len(fixed) - 1:
                raise ValueError("a page needs one stream between every two pieces")
            contents = [fixed[0]]
            for body, piece in zip(own, fixed[1:], strict=True):
                contents += [writer.add(body), piece]
            page = writer.reserve()
            first = writer.reserve(len(template.elements))
            refs = {PAGES: pages_node, DOCUMENT: document, PAGE: page}
            listed = b" ".join(b"%d 0 R" % number for number in contents)
            writer.pack(
                page,
                b"<</Type /Page/Parent %d 0 R/Contents [%s]/StructParents %d%s>>"
                % (pages_node, listed, index, template.page),
            )
            for offset, parts in enumerate(template.elements):
                writer.pack(first + offset, _join(parts, first, refs))
            page_numbers.append(page)
            tops += [first + offset for offset in template.top]
            marked = b" ".join(b"%d 0 R" % (first + offset) for offset in template.marked)
            parents.append(b"%d [%s]" % (index, marked))
        kids = b" ".join(b"%d 0 R" % number for number in page_numbers)
        writer.add(b"<</Type /Pages/Kids [%s]/Count %d>>" % (kids, len(page_numbers)), pages_node)
        own_entries = b"".join(
            _serialised(key) + b" " + _serialised(value)
            for key, value in self.document.items()
            if key not in _ELEMENT_OWN
        )
        tops_refs = b" ".join(b"%d 0 R" % number for number in tops)
        writer.add(
            b"<</Type /StructElem%s/K [%s]/P %d 0 R>>" % (own_entries, tops_refs, tree), document
        )
        maps = b"".join(
            _serialised(key) + b" " + _serialised(self.tree.raw_get(key))
            for key in ("/RoleMap", "/ClassMap")
            if key in self.tree
        )
        writer.add(
            b"<</Type /StructTreeRoot/K [%d 0 R]/ParentTree %d 0 R/ParentTreeNextKey %d%s>>"
            % (document, parent_tree, len(page_numbers), maps),
            tree,
        )
        writer.add(b"<</Nums [%s]>>" % b" ".join(parents), parent_tree)
        catalog = b"".join(
            _serialised(key) + b" " + _serialised(value)
            for key, value in self.catalog.items()
            if key not in _CATALOG_SKIPPED
        )
        root = writer.add(
            b"<</Type /Catalog/Pages %d 0 R/StructTreeRoot %d 0 R%s>>" % (pages_node, tree, catalog)
        )
        info = self.reader.trailer.raw_get("/Info") if "/Info" in self.reader.trailer else None
        return writer.finish(root, None if info is None else info.idnum)


def stream(data: bytes, compress: bool = True) -> bytes:
    """The body of a stream object holding ``data`` (compressed with Flate when asked)."""
    if compress:
        data = zlib.compress(data, 6)
        return b"<</Filter /FlateDecode/Length %d>>\nstream\n%s\nendstream" % (len(data), data)
    return b"<</Length %d>>\nstream\n%s\nendstream" % (len(data), data)


def _join(parts: list[Part], first: int, refs: dict[int, int]) -> bytes:
    return b"".join(
        part if isinstance(part, bytes) else b"%d 0 R" % (first + part if part >= 0 else refs[part])
        for part in parts
    )


class _Writer:
    """A PDF file written object by object; small objects packed into compressed object
    streams, and a cross-reference stream at the end (PDF 1.5 and later). The cross-reference
    entries are kept in arrays by object number (10,000 letters make some 600,000 objects)."""

    def __init__(self, first_free: int):
        self.out = io.BytesIO()
        self.out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        self.kinds = bytearray(first_free)  # 0 free, 1 written here, 2 packed in a stream
        self.fields = array("Q", bytes(8 * first_free))  # offset, or the packing stream
        self.places = array("H", bytes(2 * first_free))  # place in the packing stream
        self.waiting: list[tuple[int, bytes]] = []

    def reserve(self, count: int = 1) -> int:
        """The first of ``count`` new object numbers."""
        first = len(self.kinds)
        self.kinds += bytes(count)
        self.fields.extend([0] * count)
        self.places.extend([0] * count)
        return first

    def add(self, body: bytes, number: int | None = None) -> int:
        """Write an object now (streams must be written so)."""
        if number is None:
            number = self.reserve()
        self.kinds[number], self.fields[number] = 1, self.out.tell()
        self.out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
        return number

    def pack(self, number: int, body: bytes) -> None:
        """Keep an object (no stream) for the next object stream."""
        self.waiting.append((number, body))
        if len(self.waiting) >= OBJECTS_PER_STREAM:
            self._flush()

    def _flush(self) -> None:
        if not self.waiting:
            return
        container = self.reserve()
        header, bodies, at = [], [], 0
        for index, (number, body) in enumerate(self.waiting):
            header.append(b"%d %d" % (number, at))
            bodies.append(body)
            at += len(body) + 1
            self.kinds[number], self.fields[number], self.places[number] = 2, container, index
        head = b" ".join(header) + b"\n"
        data = zlib.compress(head + b"\n".join(bodies) + b"\n", 6)
        self.add(
            b"<</Type /ObjStm/N %d/First %d/Filter /FlateDecode/Length %d>>\nstream\n%s\nendstream"
            % (len(self.waiting), len(head), len(data), data),
            container,
        )
        self.waiting = []

    def finish(self, root: int, info: int | None) -> bytes:
        self._flush()
        xref = self.reserve()
        self.kinds[xref], self.fields[xref] = 1, self.out.tell()
        size = len(self.kinds)
        rows = np.zeros(size, dtype=[("kind", "u1"), ("field", ">u4"), ("place", ">u2")])
        rows["kind"] = np.frombuffer(self.kinds, dtype=np.uint8)
        rows["field"] = np.frombuffer(self.fields, dtype=np.uint64)
        rows["place"] = np.frombuffer(self.places, dtype=np.uint16)
        free = np.flatnonzero(rows["kind"] == 0)  # object 0 first: the head of the free list
        rows["field"][free] = np.append(free[1:], 0)  # each free entry names the next one
        rows["place"][free] = 1
        rows["place"][0] = 65535
        identifier = hashlib.md5(self.out.getbuffer(), usedforsecurity=False).hexdigest().encode()
        data = zlib.compress(rows.tobytes(), 6)
        extra = b"" if info is None else b"/Info %d 0 R" % info
        self.out.write(
            b"%d 0 obj\n<</Type /XRef/Size %d/W [1 4 2]/Root %d 0 R%s/ID [<%s> <%s>]"
            b"/Filter /FlateDecode/Length %d>>\nstream\n%s\nendstream\nendobj\n"
            % (xref, size, root, extra, identifier, identifier, len(data), data)
        )
        self.out.write(b"startxref\n%d\n%%%%EOF\n" % self.fields[xref])
        return self.out.getvalue()
