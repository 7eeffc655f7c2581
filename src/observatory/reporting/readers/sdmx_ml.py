"""SDMX-ML data messages (generic or structure-specific, SDMX 2.1 and 3.0), read with sdmx1.

The XML is parsed once with defusedxml first, which refuses document type declarations (external entities,
entity expansion) before sdmx1's lxml parser sees the file, and notes the line each observation starts on.
"""

import io
import warnings
from typing import Any
from xml.sax import SAXException
from xml.sax.handler import ContentHandler
from xml.sax.xmlreader import Locator

from defusedxml import DefusedXmlException
from defusedxml.sax import parseString

from observatory.reporting.readers.base import Reader, RefusedFile, Sheet, Source, SourceRow, UnreadableFile
from observatory.reporting.readers.text import decode, looks_like_text
from observatory.reporting.workbook import Cell

NAMESPACE_MARK = "sdmx.org/resources/sdmxml/schemas"
OBS_VALUE = "OBS_VALUE"


class _ObservationLines(ContentHandler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[int] = []
        self.locator: Locator | None = None

    def setDocumentLocator(self, locator: Locator) -> None:
        self.locator = locator

    def startElement(self, name: str, _attrs: Any) -> None:
        line = self.locator.getLineNumber() if self.locator is not None else None
        if name.rpartition(":")[2] == "Obs" and line is not None:
            self.lines.append(line)


class SdmxMlReader(Reader):
    format = "sdmx-ml"
    title = "SDMX-ML data message (XML)"

    @classmethod
    def handles(cls, data: bytes) -> bool:
        if not looks_like_text(data):
            return False
        start = decode(data[:4096]).content.lstrip()
        return start.startswith("<") and NAMESPACE_MARK in start

    def read(self, data: bytes, name: str) -> Source:
        lines = _observation_lines(data, name)
        # sdmx1 brings pandas, most of a second to import: it is loaded when an SDMX-ML file arrives, not before.
        import sdmx
        from sdmx.message import DataMessage

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                message = sdmx.read_sdmx(io.BytesIO(data))
        except Exception as exc:  # sdmx1 raises many kinds of error on a malformed message; all mean "unreadable"
            raise UnreadableFile(f"{name}: not a readable SDMX-ML data message ({exc})", [{"file": name}]) from exc
        if not isinstance(message, DataMessage):
            raise UnreadableFile(
                f"{name}: an SDMX-ML message without data ({type(message).__name__})", [{"file": name}]
            )
        records = [_record(obs) for data_set in message.data for obs in data_set.obs]
        header = tuple(dict.fromkeys(column for record in records for column in record))
        self.check_shape(name, len(records), len(header))
        numbers = lines if len(lines) == len(records) else list(range(1, len(records) + 1))
        rows = tuple(
            SourceRow(number, tuple(record.get(column) for column in header))
            for number, record in zip(numbers, records, strict=True)
        )
        return Source(name, self.format, (Sheet("", rows, header=header),))


def _observation_lines(data: bytes, name: str) -> list[int]:
    handler = _ObservationLines()
    try:
        parseString(data, handler, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise RefusedFile(
            f"{name}: the XML declares a document type or entities ({type(exc).__name__}); SDMX messages never need "
            "them and they are used to read files from the server, so the file is refused",
            [{"file": name, "reason": type(exc).__name__}],
        ) from exc
    except SAXException as exc:
        raise UnreadableFile(f"{name}: not well-formed XML ({exc})", [{"file": name}]) from exc
    except LookupError as exc:
        raise UnreadableFile(
            f"{name}: the XML declaration names an encoding Python does not know ({exc}); SDMX-ML is UTF-8",
            [{"file": name, "expected": "UTF-8"}],
        ) from exc
    return handler.lines


def _record(obs: Any) -> dict[str, Cell]:
    record: dict[str, Cell] = {}
    for key in (obs.series_key, obs.key):
        if key is not None:
            record.update({value.id: str(value.value) for value in key.values.values()})
    record[OBS_VALUE] = None if obs.value is None else str(obs.value)
    record.update({attribute: str(value.value) for attribute, value in obs.attrib.items()})
    return record
