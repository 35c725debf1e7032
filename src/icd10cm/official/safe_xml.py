"""Parse untrusted XML safely into an ElementTree.

The official files need no DTD, so any document type declaration, entity
declaration or external entity reference is refused outright: that rules out
external entities and entity-expansion bombs ("billion laughs"). The number of
elements and their depth are capped too (the official files have up to 250,000
elements, 13 levels deep), so that neither a flood of small elements nor deep
nesting can exhaust memory or the stack of a reader. Malformed or truncated
input raises :class:`~icd10cm.errors.SourceFileError` naming the file and the line.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import NoReturn
from xml.parsers import expat

from icd10cm.errors import SourceFileError

__all__ = ["LINE", "MAX_DEPTH", "MAX_ELEMENTS", "line_of", "one_space", "parse_xml",
           "plain_text"]

#: The attribute under which every element records the line it starts on, so that
#: readers can name the line of a structural problem. (Not a valid XML name, so it
#: cannot clash with the document's own attributes.)
LINE = "{icd10cm}line"


#: The most elements, and the deepest nesting, that :func:`parse_xml` accepts by default.
MAX_ELEMENTS = 500_000
MAX_DEPTH = 64


class _Refused(Exception):
    pass


def parse_xml(data: bytes, file: str, *, max_elements: int = MAX_ELEMENTS,
              max_depth: int = MAX_DEPTH) -> ET.Element:
    """Parse *data*; refuse DTDs and entities, more than *max_elements* elements and
    nesting deeper than *max_depth*; report errors with file and line."""
    builder = ET.TreeBuilder()
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    depth = elements = 0

    def forbid(*_args: object) -> NoReturn:
        raise _Refused(
            "XML with a DTD or entity declarations is refused (official files have none)"
        )

    parser.StartDoctypeDeclHandler = forbid
    parser.EntityDeclHandler = forbid
    parser.ExternalEntityRefHandler = forbid

    def start(tag: str, attributes: dict[str, str]) -> None:
        nonlocal depth, elements
        depth += 1
        elements += 1
        if depth > max_depth:
            raise _Refused(f"<{tag}> is nested {depth} elements deep, deeper than the "
                           f"{max_depth} allowed (SourceLimits.xml_depth)")
        if elements > max_elements:
            raise _Refused(f"more than {max_elements:,} elements, the limit "
                           "(SourceLimits.xml_elements; official files have far fewer)")
        attributes[LINE] = str(parser.CurrentLineNumber)
        builder.start(tag, attributes)

    def end(tag: str) -> None:
        nonlocal depth
        depth -= 1
        builder.end(tag)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = builder.data
    try:
        parser.Parse(data, True)
    except _Refused as refused:
        raise SourceFileError(file, str(refused), parser.CurrentLineNumber) from None
    except expat.ExpatError as exc:
        problem = expat.errors.messages[exc.code]
        if exc.code == expat.errors.codes[expat.errors.XML_ERROR_NO_ELEMENTS]:
            problem += " (the file is empty or truncated)"
        elif exc.code == expat.errors.codes[expat.errors.XML_ERROR_UNCLOSED_TOKEN]:
            problem += " (the file is truncated)"
        raise SourceFileError(file, f"malformed XML: {problem}, column {exc.offset + 1}",
                              exc.lineno) from None
    return builder.close()


def line_of(element: ET.Element) -> int | None:
    """The line *element* starts on, as :func:`parse_xml` recorded it (None: not recorded)."""
    line = element.get(LINE)
    return int(line) if line is not None else None


def one_space(text: str | None) -> str:
    """*text* with each run of white space one space, none at the ends ("" for None)."""
    return " ".join((text or "").split())


def plain_text(element: ET.Element, file: str) -> str:
    """The text of an element that may hold nothing but text, white space runs made one
    space; raises :class:`~icd10cm.errors.SourceFileError` for a child element or no text."""
    if len(element):
        raise SourceFileError(file, f"unexpected <{element[0].tag}> inside <{element.tag}>",
                              line_of(element))
    text = one_space(element.text)
    if not text:
        raise SourceFileError(file, f"empty <{element.tag}>", line_of(element))
    return text
