"""An Atom feed (RFC 4287) of the knowledge bank's published examples, newest first."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from xml.etree import ElementTree as ET

from jamlik.knowledge._model import Example

ATOM = "http://www.w3.org/2005/Atom"
#: the shipped bank has no publication dates: its entries carry the day it was compiled
SHIPPED_ON = datetime(2026, 11, 23, tzinfo=UTC)


def _stamp(when: datetime) -> str:
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def atom_feed(entries: Iterable[tuple[Example, datetime]], base_url: str, *,
              title: str = "Kunskapsbanken – nya goda exempel",
              limit: int = 50) -> bytes:
    """The feed of ``entries`` (example, published at), newest first, as UTF-8 XML.

    base_url: the site's root (``https://jamlik.example``); ids are the examples' page URLs
    (``{base_url}/kunskapsbank/exempel/{id}``), so they stay the same between runs.
    """
    ET.register_namespace("", ATOM)
    base = base_url.rstrip("/")
    rows = sorted(entries, key=lambda e: (e[1].replace(tzinfo=None) if e[1].tzinfo else e[1],
                                          e[0].id), reverse=True)[:limit]
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "sv"})
    ET.SubElement(feed, f"{{{ATOM}}}title").text = title
    ET.SubElement(feed, f"{{{ATOM}}}id").text = f"{base}/kunskapsbank/"
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self",
                                            "href": f"{base}/kunskapsbank/flode.atom"})
    ET.SubElement(feed, f"{{{ATOM}}}link", {"href": f"{base}/kunskapsbank/"})
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = _stamp(rows[0][1] if rows else SHIPPED_ON)
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = "jamlik kunskapsbank"
    for example, when in rows:
        url = f"{base}/kunskapsbank/exempel/{example.id}"
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}title").text = example.title
        ET.SubElement(entry, f"{{{ATOM}}}id").text = url
        ET.SubElement(entry, f"{{{ATOM}}}link", {"href": url})
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = _stamp(when)
        ET.SubElement(entry, f"{{{ATOM}}}summary").text = example.summary_sv or example.title
        if example.organisation:
            a = ET.SubElement(entry, f"{{{ATOM}}}author")
            ET.SubElement(a, f"{{{ATOM}}}name").text = example.organisation
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
