"""SDMX-ML 2.1 data messages: Generic and Structure-Specific, written with lxml.

Our own writer, because sdmx1's data messages are not schema-valid: they lack ``dimensionAtObservation`` in the
header and the structure-specific namespace. The Generic message validates against the official SDMX 2.1 XSD
(tests/publication); both read back in sdmx1 with the flow's structure. A missing observation has no ObsValue: its
OBS_STATUS says why (O, L, Q) or that it cannot exist (M), and a zero is an ObsValue of 0 with status A.
"""

from lxml import etree  # type: ignore[import-untyped]

from observatory.publication.flows import AGENCY, VERSION
from observatory.publication.messages import ALL_DIMENSIONS, DataMessage, attribute_values, number

V21 = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1"
MESSAGE, COMMON = f"{V21}/message", f"{V21}/common"
GENERIC, SPECIFIC = f"{V21}/data/generic", f"{V21}/data/structurespecific"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
GENERIC_TYPE = "application/vnd.sdmx.genericdata+xml;version=2.1"
SPECIFIC_TYPE = "application/vnd.sdmx.structurespecificdata+xml;version=2.1"


def _q(namespace: str, name: str) -> str:
    return f"{{{namespace}}}{name}"


def _header(root: etree._Element, message: DataMessage, *, specific: bool) -> None:
    header = etree.SubElement(root, _q(MESSAGE, "Header"))
    etree.SubElement(header, _q(MESSAGE, "ID")).text = message.message_id
    etree.SubElement(header, _q(MESSAGE, "Test")).text = "false"
    etree.SubElement(header, _q(MESSAGE, "Prepared")).text = message.prepared.strftime("%Y-%m-%dT%H:%M:%S")
    etree.SubElement(header, _q(MESSAGE, "Sender"), id=AGENCY)
    structure = etree.SubElement(header, _q(MESSAGE, "Structure"), structureID=message.structure_ref)
    if specific:
        structure.set("namespace", _namespace(message))
    structure.set("dimensionAtObservation", message.at_observation)
    usage = etree.SubElement(structure, _q(COMMON, "Structure"))
    etree.SubElement(usage, "Ref", agencyID=AGENCY, id=message.flow.id, version=VERSION)
    if message.vintage:
        etree.SubElement(header, _q(MESSAGE, "DataSetID")).text = f"{message.flow.id}_{message.vintage}"


def _namespace(message: DataMessage) -> str:
    level = "AllDimensions" if message.at_observation == ALL_DIMENSIONS else f"ObsLevelDim:{message.at_observation}"
    return f"urn:sdmx:org.sdmx.infomodel.datastructure.DataStructure={AGENCY}:{message.flow.id}({VERSION}):{level}"


def generic_xml(message: DataMessage) -> bytes:
    """The Generic data message (``GENERIC_TYPE``)."""
    nsmap = {"message": MESSAGE, "common": COMMON, "generic": GENERIC, "xsi": XSI}
    root = etree.Element(_q(MESSAGE, "GenericData"), nsmap=nsmap)
    _header(root, message, specific=False)
    dataset = etree.SubElement(root, _q(MESSAGE, "DataSet"), structureRef=message.structure_ref, action="Information")
    flat = message.at_observation == ALL_DIMENSIONS
    for key, rows in message.series():
        parent = dataset
        if not flat:
            parent = etree.SubElement(dataset, _q(GENERIC, "Series"))
            series_key = etree.SubElement(parent, _q(GENERIC, "SeriesKey"))
            for name, code in zip(message.series_dimensions, key, strict=True):
                etree.SubElement(series_key, _q(GENERIC, "Value"), id=name, value=code)
        if not message.with_observations and not flat:
            continue
        for row in rows:
            _generic_obs(parent, message, row, flat=flat)
    return _bytes(root)


def _generic_obs(parent: etree._Element, message: DataMessage, row: dict[str, object], *, flat: bool) -> None:
    obs = etree.SubElement(parent, _q(GENERIC, "Obs"))
    if flat:
        obs_key = etree.SubElement(obs, _q(GENERIC, "ObsKey"))
        for name in message.dimensions:
            etree.SubElement(obs_key, _q(GENERIC, "Value"), id=name, value=str(row[name]))
    else:
        etree.SubElement(obs, _q(GENERIC, "ObsDimension"), value=str(row[message.at_observation]))
    value = number(row["OBS_VALUE"])
    if value is not None and message.detail != "nodata":
        etree.SubElement(obs, _q(GENERIC, "ObsValue"), value=value)
    attributes = attribute_values(row) if message.with_attributes else []
    if attributes:
        holder = etree.SubElement(obs, _q(GENERIC, "Attributes"))
        for name, text in attributes:
            etree.SubElement(holder, _q(GENERIC, "Value"), id=name, value=text)


def structure_specific_xml(message: DataMessage) -> bytes:
    """The Structure-Specific data message (``SPECIFIC_TYPE``): series and observations as XML attributes."""
    nsmap = {"message": MESSAGE, "common": COMMON, "ss": SPECIFIC, "xsi": XSI, "ns1": _namespace(message)}
    root = etree.Element(_q(MESSAGE, "StructureSpecificData"), nsmap=nsmap)
    _header(root, message, specific=True)
    dataset = etree.SubElement(root, _q(MESSAGE, "DataSet"))
    dataset.set(_q(SPECIFIC, "structureRef"), message.structure_ref)
    dataset.set(_q(SPECIFIC, "dataScope"), "DataStructure")
    dataset.set(_q(XSI, "type"), "ns1:DataSetType")
    dataset.set("action", "Information")
    flat = message.at_observation == ALL_DIMENSIONS
    for key, rows in message.series():
        parent = dataset
        if not flat:
            parent = etree.SubElement(dataset, "Series")
            for name, code in zip(message.series_dimensions, key, strict=True):
                parent.set(name, code)
        if not message.with_observations and not flat:
            continue
        for row in rows:
            obs = etree.SubElement(parent, "Obs")
            for name in message.observation_dimensions:
                obs.set(name, str(row[name]))
            value = number(row["OBS_VALUE"])
            if value is not None and message.detail != "nodata":
                obs.set("OBS_VALUE", value)
            for name, text in attribute_values(row) if message.with_attributes else []:
                obs.set(name, text)
    return _bytes(root)


def _bytes(root: etree._Element) -> bytes:
    text: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return text
