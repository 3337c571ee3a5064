"""The JSON Schema of a monthly file: built from the reference data, checked into schema/."""

from __future__ import annotations

import json

from ..i18n import N_, translations
from .context import MAX_COUNT, NOT_ASSESSED
from .reference import DAY_PATTERN, LANGUAGES, MONTH_PATTERN, Reference


def _texts(description: str) -> dict:
    return {
        "description": description,
        "type": "object",
        "additionalProperties": False,
        "required": list(LANGUAGES),
        "properties": {**{lang: {"$ref": "#/$defs/text"} for lang in LANGUAGES},
                       "translated": {"$ref": "#/$defs/translated"}},
    }


def monthly_schema(reference: Reference) -> dict:
    """The schema of a monthly file; region and category codes come from the reference data."""
    region_properties = {
        region.code: {
            "$ref": "#/$defs/region",
            "description": " / ".join(region.names[-1].forms[lang]["official"]
                                      for lang in LANGUAGES),
        }
        for region in reference.regions
    }
    category_properties = {
        category.code: {
            "$ref": "#/$defs/count",
            "description": " / ".join(category.label[lang] for lang in LANGUAGES),
        }
        for category in reference.categories
    }
    category_codes = [category.code for category in reference.categories]
    group_codes = [group.code for group in reference.groups]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": N_("Monthly public-hearings monitoring report"),
        "description": N_("One month of findings; both language versions are rendered from it. "
                          "Generated from the reference data by `hearings schema`."),
        "type": "object",
        "additionalProperties": False,
        "required": ["period", "summary", "regions", "observations", "closing"],
        "properties": {
            "period": {
                "title": N_("a month written YYYY-MM"),
                "description": N_("The report's month, YYYY-MM; the file is named after it."),
                "type": "string",
                "pattern": MONTH_PATTERN,
            },
            "summary": {
                "description": N_("The figures the report's text states."),
                "type": "object",
                "additionalProperties": False,
                "required": ["announcements", "protocols", "violations",
                             "violations_by_group"],
                "properties": {
                    "announcements": {"$ref": "#/$defs/figure",
                                      "description": N_("Announcements placed, all regions.")},
                    "protocols": {"$ref": "#/$defs/figure",
                                  "description": N_("Protocols placed, all regions.")},
                    "violations": {"$ref": "#/$defs/figure",
                                   "description": N_("Violations in total, all regions.")},
                    "violations_by_group": {
                        "description": N_("Violations by announcements and by protocols."),
                        "type": "object",
                        "additionalProperties": False,
                        "properties": {code: {"$ref": "#/$defs/figure"}
                                       for code in group_codes},
                    },
                },
            },
            "regions": {
                "description": N_("One row of the table per region in force in the period."),
                "type": "object",
                "additionalProperties": False,
                "properties": region_properties,
            },
            "observations": {
                "description": N_("Free-text observations; with `category`, placed after that "
                                  "category's paragraph (it needs findings that month), "
                                  "otherwise after all of them."),
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": list(LANGUAGES),
                    "properties": {
                        "category": {"title": N_("a violation category's code"),
                                     "enum": category_codes},
                        **{lang: {"$ref": "#/$defs/text"} for lang in LANGUAGES},
                        "translated": {"$ref": "#/$defs/translated"},
                    },
                },
            },
            "closing": {
                "description": N_("Proposals and next steps, one paragraph per item."),
                "type": "array",
                "items": _texts(N_("One paragraph in both languages.")),
            },
            "evidence": {
                "description": N_("The evidence register, optional: one entry per violation "
                                  "found. With it, the table's counts must equal the entries, "
                                  "region by region and category by category, and both reports "
                                  "get an appendix that lists them."),
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["region", "category", "url", "seen", "project"],
                    "properties": {
                        "region": {"title": N_("a region's code"),
                                   "enum": [region.code for region in reference.regions]},
                        "category": {"title": N_("a violation category's code"),
                                     "enum": category_codes},
                        "url": {"title": N_("a web address (http or https)"),
                                "description": N_("The page where the violation was seen."),
                                "type": "string", "pattern": "^https?://\\S+$"},
                        "seen": {"title": N_("a date written YYYY-MM-DD"),
                                 "description": N_("The day the violation was seen."),
                                 "type": "string",
                                 "pattern": DAY_PATTERN},
                        "project": {"$ref": "#/$defs/text",
                                    "description": N_("The project's name, as the page gives it.")},
                        "remark": _texts(N_("A remark where one is needed, in both languages.")),
                    },
                },
            },
            "date": {
                "title": N_("a date written YYYY-MM-DD"),
                "description": N_("The document's date, optional: printed under the signature "
                                  "block when given (the registration of a signed document "
                                  "gives it its date and number otherwise). Not before the "
                                  "month's last day."),
                "type": "string", "pattern": DAY_PATTERN,
            },
            "signatory": {
                "description": N_("Who signs the report; without it the reports have no signature "
                                  "block and `build` warns."),
                "type": "object",
                "additionalProperties": False,
                "required": ["position", "name"],
                "properties": {
                    "position": _texts(N_("The signatory's position.")),
                    "name": _texts(N_("Initials and surname, as signed.")),
                },
            },
            "executor": {
                "description": N_("Who prepared the report, for the executor's line; without it "
                                  "the reports have none and `build` warns."),
                "type": "object",
                "additionalProperties": False,
                "required": ["name", "phone"],
                "properties": {
                    "name": _texts(N_("Initials and surname.")),
                    "phone": {"title": N_("a phone number"), "type": "string",
                              "pattern": "^[+]?[0-9][0-9 ()-]{4,}[0-9]$"},
                },
            },
        },
        "$defs": {
            "figure": {"title": N_("a whole number from 0 to 1 000 000"), "type": "integer",
                       "minimum": 0, "maximum": MAX_COUNT},
            "count": {
                "title": N_("a whole number from 0 to 1 000 000 or n/a"),
                "description": N_("n/a: could not be assessed (shown as a dash)."),
                "anyOf": [{"$ref": "#/$defs/figure"}, {"const": NOT_ASSESSED}],
            },
            "text": {"title": N_("a non-empty text"), "type": "string", "pattern": "\\S"},
            "translated": {
                "description": N_("What the other language was translated from: the source "
                                  "language and a digest of its text then (`hearings "
                                  "translated --mark` writes it); when the source text "
                                  "changes, validate warns translation-outdated."),
                "type": "object",
                "additionalProperties": False,
                "required": ["from", "digest"],
                "properties": {
                    "from": {"title": N_("the language translated from"),
                             "enum": list(LANGUAGES)},
                    "digest": {"title": N_("eight hexadecimal digits"), "type": "string",
                               "pattern": "^[0-9a-f]{8}$"},
                },
            },
            "region": {
                "type": "object",
                "additionalProperties": False,
                "required": ["announcements", "protocols", "violations", "total"],
                "properties": {
                    "announcements": {"$ref": "#/$defs/count",
                                      "description": N_("Announcements placed.")},
                    "protocols": {"$ref": "#/$defs/count",
                                  "description": N_("Protocols placed.")},
                    "violations": {
                        "description": N_("Violations found, by category: each category in "
                                          "force on the month's last day, and no other."),
                        "type": "object",
                        "additionalProperties": False,
                        "properties": category_properties,
                    },
                    "total": {"$ref": "#/$defs/count",
                              "description": N_("The row's total of violations.")},
                },
            },
        },
    }


def _region_names(region) -> str:
    """A region's official names in both languages, each with the days it was in force."""
    names = []
    for name in reversed(region.names):
        days = name.validity
        when = (f" ({days.valid_from or '…'} – {days.valid_until or '…'})"
                if len(region.names) > 1 else "")
        names.append(" / ".join(name.forms[lang]["official"] for lang in LANGUAGES) + when)
    return "; ".join(names)


def annotate(node: object, ru, kk) -> None:
    """Titles in Russian, descriptions in Russian with the Kazakh beside, in place."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "title" and isinstance(value, str):
                node[key] = ru(value)
            elif key == "description" and isinstance(value, str) and ru(value) != value:
                node[key] = f"{ru(value)}\n\n{kk(value)}"
            else:
                annotate(value, ru, kk)
    elif isinstance(node, list):
        for item in node:
            annotate(item, ru, kk)


def editor_schema(reference: Reference) -> dict:
    """The schema file for the analyst's editor: the schema that validation uses, with its
    words in Russian and Kazakh, every region and category code described by its names, and
    a snippet that writes a whole region row."""
    schema = monthly_schema(reference)
    annotate(schema, translations("ru").gettext, translations("kk").gettext)
    names = {region.code: _region_names(region) for region in reference.regions}
    headers = {c.code: " / ".join(c.label[lang] for lang in LANGUAGES)
               for c in reference.categories}
    for code, row in schema["properties"]["regions"]["properties"].items():
        row["description"] = names[code]
    for code, count in schema["$defs"]["region"]["properties"]["violations"][
            "properties"].items():
        count["description"] = headers[code]
    entry = schema["properties"]["evidence"]["items"]["properties"]
    for field, described in ((entry["region"], names), (entry["category"], headers),
                             (schema["properties"]["observations"]["items"]["properties"][
                                 "category"], headers)):
        field["enumDescriptions"] = [described[code] for code in field["enum"]]
    schema["$defs"]["region"]["defaultSnippets"] = [{
        "label": "строка региона / өңір жолы",
        "description": "Все показатели региона с нулями / Өңірдің барлық көрсеткіштері нөлмен",
        "body": {"announcements": 0, "protocols": 0,
                 "violations": {category.code: 0 for category in reference.categories},
                 "total": 0},
    }]
    return schema


def schema_text(reference: Reference) -> str:
    """The schema file's exact content (for editors; validation uses the schema in memory)."""
    return json.dumps(editor_schema(reference), ensure_ascii=False, indent=2) + "\n"
