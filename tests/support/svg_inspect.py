"""Reads an SVG with Python's standard XML parser and prints what the chart tests check, as JSON:
the root element, how many elements carry each class, each panel's classes with the classes
inside it, the same for each strip (a group of class "strip", as in the overlaid cohort chart),
and every piece of text (text, tspan, title, desc) as the parser decoded it.
A document that is not well-formed makes the parser raise: exit status 1."""
import json
import sys
import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"


def class_counts(element):
    counts = {}
    for node in element.iter():
        for name in node.get("class", "").split():
            counts[name] = counts.get(name, 0) + 1
    return counts


root = ET.parse(sys.argv[1]).getroot()


def groups_of(css_class):
    return [{"classes": node.get("class").split(), "inside": class_counts(node)}
            for node in root.iter() if css_class in node.get("class", "").split()]


panels = groups_of("panel")
strips = groups_of("strip")
texts = ["".join(node.itertext()) for node in root.iter()
         if node.tag in (SVG + "text", SVG + "tspan", SVG + "title", SVG + "desc")]
print(json.dumps({"root": root.tag, "view_box": root.get("viewBox"), "classes": class_counts(root),
                  "panels": panels, "strips": strips, "texts": texts}))
