"""SDMX-ML 2.1 error messages (``message:Error``), for clients that asked for SDMX-ML.

The SDMX REST error codes (SDMX 2.1 Section 7, web services guidelines): 100 no results found, 140 syntax error,
150 semantic error, 510 response size exceeds service limit; each with the HTTP status the API answers.
"""

from lxml import etree  # type: ignore[import-untyped]

from observatory.errors import ObservatoryError

_MESSAGE = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"
_COMMON = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common"
#: HTTP status → SDMX error code.
SDMX_CODES = {400: 140, 404: 100, 413: 510, 406: 406, 500: 500}


def wants_xml(accept: str | None) -> bool:
    """Whether the client asked for XML (SDMX-ML) rather than JSON or CSV."""
    text = (accept or "").lower()
    return "xml" in text and "json" not in text


def sdmx_error_xml(error: ObservatoryError) -> bytes:
    root = etree.Element(f"{{{_MESSAGE}}}Error", nsmap={"message": _MESSAGE, "common": _COMMON})
    item = etree.SubElement(root, f"{{{_MESSAGE}}}ErrorMessage", code=str(SDMX_CODES.get(error.status, 150)))
    text = etree.SubElement(item, f"{{{_COMMON}}}Text")
    text.set("{http://www.w3.org/XML/1998/namespace}lang", "en")
    text.text = f"{error.code}: {error.message}"
    result: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return result
