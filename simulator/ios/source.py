"""WebDriverAgent's page source of an element tree, and XPath over it (FBXPath.m).

WDA writes one XML element per snapshot, named after its type, with the attributes of
XCUIElement+FBWebDriverAttributes in a fixed order, leaving out those whose value is nil (an empty name, label or
value); the Application also carries its processId and bundleId. An XPath query runs over the same document built
from the element it starts at; an expression libxml2 cannot evaluate is WDA's `invalid selector`.
"""

from __future__ import annotations

from lxml import etree

from tiktok_promo.simulator.errors import InvalidSelector
from tiktok_promo.simulator.ios.tree import XElement

PROCESS_ID = "4242"  # the app's pid as WDA reports it on the Application element (any stable number)


class Document:
    """The XML of a tree and the element each XML node stands for."""

    def __init__(self, root: XElement, bundle_id: str) -> None:
        self._of: dict[etree._Element, XElement] = {}
        self.xml = self._write(root, bundle_id)

    def _write(self, element: XElement, bundle_id: str) -> etree._Element:
        attributes = element.source_attributes()
        if element.type == "Application":
            attributes.update(processId=PROCESS_ID, bundleId=bundle_id)
        node = etree.Element(element.wd_type, attributes)
        self._of[node] = element
        for child in element.children:
            node.append(self._write(child, bundle_id))
        return node

    def text(self) -> str:
        """The page source as WDA's GET /source answers it: a UTF-8 XML document, indented."""
        body = etree.tostring(self.xml, pretty_print=True, encoding="unicode")
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + body

    def xpath(self, query: str) -> list[XElement]:
        """The elements an XPath query selects, in document order; WDA's error for what libxml2 refuses."""
        query = query.replace("XCUIElementTypeAny", "*")  # XCUIElement+FBFind.m: types are tag names, Any is *
        try:
            found = etree.ElementTree(self.xml).xpath(query)
        except (etree.XPathError, ValueError) as error:
            raise InvalidSelector(f'Cannot evaluate results for XPath expression "{query}": {error}') from None
        if not isinstance(found, list):
            raise InvalidSelector(f'Cannot evaluate results for XPath expression "{query}": '
                                  "the result is not a node set")
        return [self._of[n] for n in found if isinstance(n, etree._Element) and n in self._of]
