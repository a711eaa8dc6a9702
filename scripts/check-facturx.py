#!/usr/bin/env python3
"""Independent check of a Factur-X PDF, with the `factur-x` package from PyPI (the reference Python
implementation) and no code of ours:

1. the PDF carries `factur-x.xml`, which the package detects as Factur-X at the EN 16931 level and
   validates against the official XSD it ships;
2. when `saxonche` (Saxon-HE, PyPI) is installed, the XML passes the official EN 16931 schematron the
   package also ships (the business rules BR-xx / BR-CO-xx: totals, VAT breakdown, mandatory parties),
   run locally instead of through the package's Saxon HTTP server;
3. the PDF declares PDF/A-3B and the Factur-X properties in its XMP metadata, lists the XML in the
   catalog's /AF with /AFRelationship /Data, and has an RGB ICC output intent.

    scripts/check-facturx.py FILE.pdf   prints a JSON summary; exits 1 with the reasons when it fails
"""
import json
import sys
from io import BytesIO

from lxml import etree

import facturx
from facturx import facturx as fx_impl
from pypdf import PdfReader

NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "fx": "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
}


def schematron(xml_bytes, errors):
    """Runs the package's EN 16931 schematron (XSLT 2) with Saxon-HE; None when saxonche is absent."""
    try:
        from saxonche import PySaxonProcessor
    except ImportError:
        return None
    import importlib.resources as res
    xslt_path = res.files("facturx").joinpath(
        "xsd_and_schematron/" + fx_impl.FACTURX_LEVEL2schematron["en16931"])
    with PySaxonProcessor(license=False) as proc:
        compiled = proc.new_xslt30_processor().compile_stylesheet(stylesheet_file=str(xslt_path))
        node = proc.parse_xml(xml_text=xml_bytes.decode("utf-8"))
        svrl = compiled.transform_to_string(xdm_node=node)
    root = etree.fromstring(svrl.encode("utf-8"))
    svrl_ns = {"svrl": "http://purl.oclc.org/dsdl/svrl"}
    fired = 0
    warnings = []
    for item in root.xpath(".//svrl:failed-assert | .//svrl:successful-report", namespaces=svrl_ns):
        text = " ".join("".join(item.itertext()).split())
        where = item.get("location", "")
        if item.get("flag") == "warning":
            warnings.append(text)
        else:
            errors.append(f"schematron: {text} at {where}")
    fired = len(root.xpath(".//svrl:fired-rule", namespaces=svrl_ns))
    if fired == 0:
        errors.append("schematron: no rule fired (wrong document?)")
    return {"rules_fired": fired, "warnings": warnings}


def check(path):
    errors = []
    pdf = open(path, "rb").read()
    reader = PdfReader(BytesIO(pdf))
    names = [a.name for a in reader.attachment_list]
    filename, xml = facturx.get_facturx_xml_from_pdf(BytesIO(pdf), check_xsd=False)
    if filename != "factur-x.xml" or not xml:
        return [f"no factur-x.xml in the PDF (attachments: {names})"], {}
    tree = etree.fromstring(xml)
    flavor = facturx.get_flavor(tree)
    level = facturx.get_level(tree, flavor)
    if (flavor, level) != ("factur-x", "en16931"):
        errors.append(f"detected {flavor} {level}, expected factur-x en16931")
    try:
        facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931")
    except Exception as e:  # the package raises a bare Exception with the XSD error
        errors.append(f"XSD: {e}")
    rules = schematron(xml, errors)

    root = reader.trailer["/Root"]
    xmp = etree.fromstring(root["/Metadata"].get_object().get_data())
    def one(xpath):
        found = xmp.xpath(xpath, namespaces=NS)
        return found[0].text if found else None
    expected = {
        "//pdfaid:part": "3", "//pdfaid:conformance": "B", "//fx:DocumentType": "INVOICE",
        "//fx:DocumentFileName": "factur-x.xml", "//fx:Version": "1.0",
        "//fx:ConformanceLevel": "EN 16931",
        "//pdfaSchema:namespaceURI": "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#",
    }
    for xpath, value in expected.items():
        if one(xpath) != value:
            errors.append(f"XMP {xpath} is {one(xpath)!r}, expected {value!r}")
    # PDF/A: what the Info dictionary says, the XMP must say the same.
    info = reader.metadata or {}
    for key, xpath in (("/Title", "//dc:title//rdf:li"), ("/Subject", "//dc:description//rdf:li"),
                       ("/Author", "//dc:creator//rdf:li"), ("/Producer", "//pdf:Producer"),
                       ("/Creator", "//xmp:CreatorTool")):
        if key in info and str(info[key]) != one(xpath):
            errors.append(f"Info {key} {str(info[key])!r} differs from the XMP's {one(xpath)!r}")
    af = [o.get_object() for o in root.get("/AF", [])]
    if [(s.get("/F"), s.get("/AFRelationship")) for s in af] != [("factur-x.xml", "/Data")]:
        errors.append(f"catalog /AF is {af}")
    intents = root.get("/OutputIntents", [])
    if len(intents) != 1:
        errors.append("no single output intent")
    else:
        intent = intents[0].get_object()
        icc = intent["/DestOutputProfile"].get_object().get_data()
        if intent.get("/S") != "/GTS_PDFA1" or icc[36:40] != b"acsp" or icc[16:20] != b"RGB ":
            errors.append("the output intent is not a GTS_PDFA1 RGB ICC profile")
    if "/ID" not in reader.trailer:
        errors.append("no file identifier")
    summary = {
        "attachments": names, "flavor": flavor, "level": level,
        "type_code": tree.findtext(".//{*}ExchangedDocument/{*}TypeCode"),
        "grand_total": tree.findtext(".//{*}GrandTotalAmount"),
        "due": tree.findtext(".//{*}DuePayableAmount"),
        "schematron": rules,
        "info": {k: str(v) for k, v in info.items()},
    }
    return errors, summary


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    errors, summary = check(sys.argv[1])
    if errors:
        print("\n".join(errors), file=sys.stderr)
        sys.exit(1)
    print(json.dumps(summary))
