"""What the service page tells before the start, read from a form definition."""

from openamt.forms.requirements import ACCOUNT_NEEDS, WITHOUT_ACCOUNT, form_requirements

FILE = {"type": "file", "accept": ["application/pdf"]}


def _form(**settings):
    return {
        "title": "Test",
        "steps": [
            {
                "key": "a",
                "title": "A",
                "items": [
                    {**FILE, "key": "ausweis", "label": "Ausweis", "required": True},
                    {**FILE, "key": "foto", "label": "Foto", "help": "Freiwillig."},
                    {
                        "key": "hunde",
                        "label": "Hund",
                        "min": 1,
                        "group": [
                            {**FILE, "key": "chip", "label": "Chipnachweis", "required": True},
                            {
                                **FILE,
                                "key": "erlaubnis",
                                "label": "Erlaubnis",
                                "required_if": {"===": [{"var": "gefaehrlich"}, True]},
                                "show_if": {"===": [{"var": "gefaehrlich"}, True]},
                            },
                        ],
                    },
                ],
            },
            {
                "key": "b",
                "title": "B",
                "show_if": {"===": [{"var": "x"}, True]},
                "items": [{**FILE, "key": "vollmacht", "label": "Vollmacht", "required": True}],
            },
        ],
        **settings,
    }


def test_documents_are_the_file_fields_marked_where_not_everyone_uploads_them():
    needs = form_requirements(_form())
    assert [(d.label, d.always, d.hint) for d in needs.documents] == [
        ("Ausweis", True, ""),
        ("Foto", False, "Freiwillig."),
        ("Chipnachweis", True, ""),
        ("Erlaubnis", False, ""),
        ("Vollmacht", False, ""),  # its step only shows in some cases
    ]


def test_account_follows_the_assurance_level_and_anonymity():
    assert form_requirements(_form()).account == ACCOUNT_NEEDS["niedrig"]
    assert (
        "Online-Ausweisfunktion" in form_requirements(_form(assurance_level="substanziell")).account
    )
    assert form_requirements(_form(anonymous=True)).account == WITHOUT_ACCOUNT
    # Anonymous forms of a higher level still need the login (as the application gate does).
    assert (
        form_requirements(_form(anonymous=True, assurance_level="hoch")).account
        == ACCOUNT_NEEDS["hoch"]
    )


def test_fees_list_every_fixed_amount_a_rule_can_give():
    needs = form_requirements(
        _form(
            fees=[
                {
                    "key": "a",
                    "label": "Fest",
                    "amount_cents": 4000,
                    "example": True,
                    "basis": "Satzung",
                },
                {
                    "key": "b",
                    "label": "Gestuft",
                    "amount_cents": {
                        "if": [
                            {"===": [{"var": "x"}, 1]},
                            6140,
                            {"===": [{"var": "x"}, 2]},
                            150000,
                            3070,
                        ]
                    },
                },
                {"key": "c", "label": "Fläche", "amount_cents": {"*": [{"var": "qm"}, 115]}},
            ]
        )
    )
    assert [(f.label, f.amounts, f.example, f.basis) for f in needs.fees] == [
        ("Fest", "40,00 €", True, "Satzung"),
        ("Gestuft", "30,70 €, 61,40 € oder 1.500,00 €, je nach Ihren Angaben", False, ""),
        ("Fläche", "richtet sich nach Ihren Angaben im Antrag", False, ""),
    ]
