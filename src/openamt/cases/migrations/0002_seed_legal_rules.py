"""The Bekanntgabe rules and objection periods in force, with their history.

Sources and certainty (as of November 2026):

Bund, post and electronic transmission, § 41 Abs. 2 VwVfG: third day after
posting/sending until 31 December 2024, fourth day from 1 January 2025
(Gesetz zur Modernisierung des Postrechts, PostModG, of 15 July 2024,
BGBl. 2024 I Nr. 236; in force 1 January 2025). The row valid on the day of
posting decides: a letter posted on 30 December 2024 is made known on the
third day. Certain.

Bund, retrieval, § 41 Abs. 2a VwVfG: made known on the day after the
retrieval; not made known if not retrieved within ten days after the
notification was sent. Inserted by the E-Government-Gesetz of 25 July 2013
(in force 1 August 2013); unchanged by the PostModG. Certain as to the text;
the start date is that of the EGovG's article amending the VwVfG.

Land (Thuringia): the ThürVwVfG was replaced with effect from 1 January 2025
by Article 1 of the Thüringer Gesetz zur Änderung verwaltungsrechtlicher
Vorschriften im Jahr 2024 of 2 July 2024 (GVBl. 2024 S. 277, ber. S. 522).
Its § 1 Abs. 1 Satz 1 makes the federal VwVfG apply to the Land's authorities
with a list of exceptions (§§ 1, 2, parts of §§ 33, 34, 61, 78, §§ 94, 96,
100–103) that does not include § 41. So since 2025 the federal § 41 Abs. 2
(fourth day) and Abs. 2a apply in Thuringia. Fairly sure: read from a
consolidated text of the new law (§ 1) and of the amending law's heading,
not from the Gesetz- und Verordnungsblatt itself; whether the reference is
to the VwVfG "in der jeweils geltenden Fassung" was not visible and should be
checked against the GVBl before relying on later federal amendments.
Until 31 December 2024 the ThürVwVfG was a full text of its own whose § 41
Abs. 2 said "am dritten Tag" (that wording is well established; the row
starts on 1 December 2014, the date of the last re-promulgation as we know
it, not verified here; earlier decisions are out of this platform's reach
and not seeded). Whether
that text had a § 41 Abs. 2a was not verified, so the Land's retrieval rule
is seeded from 1 January 2025 only: a retrieval before that date finds no
Land rule and the computation says so instead of guessing.

Fiction day on a Saturday, Sunday or holiday (post, electronic): it does not
move under the VwVfG (OVG Lüneburg, 26.10.2006, 7 PA 184/06, with Kopp/
Ramsauer on § 31: the fiction fixes a day, it is no period whose end § 31
Abs. 3 VwVfG moves). The AO differs (BFH, 14.10.2003, IX R 68/98, § 108
Abs. 3 AO), which is why the rule row has a flag.

End of the ten-day retrieval period on a Saturday, Sunday or holiday: not
moved. § 41 Abs. 2a Satz 4 VwVfG sets how long the authority keeps the
decision provided; the participant has no duty to act within it, and the
consequence of its end (the Bekanntgabe is not effected, another Bekanntgabe
stays possible, Satz 5) costs the participant nothing, so the Montagsregel's
purpose (not to shorten a period a person must act within) does not call for
it. There is no case law on this point that we found; the flag lets an
operator choose the other reading.

Objection periods (§ 70 Abs. 1 VwGO Widerspruch, § 74 Abs. 1 VwGO Klage): one
month, end moved to the next working day (§ 57 Abs. 2 VwGO, § 222 Abs. 2 ZPO;
§ 31 Abs. 3 VwVfG). Unchanged since the VwGO came into force on 1 April 1960.
"""

from datetime import date

from django.db import migrations

VWVFG_41 = "https://www.gesetze-im-internet.de/vwvfg/__41.html"
THUER_VWVFG = "https://landesrecht.thueringen.de/"
VWGO_70 = "https://www.gesetze-im-internet.de/vwgo/__70.html"
VWGO_74 = "https://www.gesetze-im-internet.de/vwgo/__74.html"

POSTMODG = "geändert durch das Postrechtsmodernisierungsgesetz vom 15. Juli 2024 (BGBl. 2024 I Nr. 236), in Kraft seit 1. Januar 2025"
THUER_2025 = (
    "§ 1 Abs. 1 Satz 1 ThürVwVfG (Art. 1 des Thüringer Gesetzes zur Änderung verwaltungsrechtlicher "
    "Vorschriften im Jahr 2024 vom 2. Juli 2024, GVBl. S. 277, ber. S. 522) i. V. m. "
)
NO_MOVE = (
    "Fällt der Tag auf einen Samstag, Sonntag oder Feiertag, bleibt es bei diesem Tag: die Fiktion bestimmt "
    "einen Tag, keine Frist, deren Ende § 31 Abs. 3 VwVfG verschiebt (OVG Lüneburg, Beschl. v. 26.10.2006, "
    "7 PA 184/06). Die Fiktion gilt nicht, wenn der Bescheid nicht oder später zugegangen ist."
)
THUER_NOTE = (
    "Seit 1. Januar 2025 verweist das ThürVwVfG auf das VwVfG des Bundes; § 41 VwVfG gehört nicht zu den "
    "Ausnahmen in § 1 Abs. 1 Satz 1 ThürVwVfG. Geprüft an einer konsolidierten Fassung, nicht am GVBl."
)
RETRIEVAL_NOTE = (
    "Bekannt gegeben am Tag nach dem Abruf. Wird nicht innerhalb von zehn Tagen nach Absendung der "
    "Benachrichtigung abgerufen, endet die Bereitstellung und die Bekanntgabe ist nicht bewirkt (Satz 4, 5); "
    "eine Bekanntgabe auf anderem Weg (Post) bleibt möglich. Das Ende der zehn Tage wird nicht auf einen "
    "Werktag verschoben: die Frist bestimmt die Dauer der Bereitstellung, nicht eine Frist, in der der "
    "Beteiligte handeln muss."
)

BEKANNTGABE = [
    # (jurisdiction, channel, days, valid_from, valid_to, legal_basis, url, note)
    (
        "bund",
        "post",
        3,
        date(1977, 1, 1),
        date(2024, 12, 31),
        "§ 41 Abs. 2 Satz 1 VwVfG in der bis 31. Dezember 2024 geltenden Fassung",
        VWVFG_41,
        NO_MOVE,
    ),
    (
        "bund",
        "post",
        4,
        date(2025, 1, 1),
        None,
        f"§ 41 Abs. 2 Satz 1 VwVfG, {POSTMODG}",
        VWVFG_41,
        NO_MOVE,
    ),
    (
        "bund",
        "elektronisch",
        3,
        date(2003, 2, 1),
        date(2024, 12, 31),
        "§ 41 Abs. 2 Satz 2 VwVfG in der bis 31. Dezember 2024 geltenden Fassung",
        VWVFG_41,
        NO_MOVE,
    ),
    (
        "bund",
        "elektronisch",
        4,
        date(2025, 1, 1),
        None,
        f"§ 41 Abs. 2 Satz 2 VwVfG, {POSTMODG}",
        VWVFG_41,
        NO_MOVE,
    ),
    (
        "land",
        "post",
        3,
        date(2014, 12, 1),
        date(2024, 12, 31),
        "§ 41 Abs. 2 Satz 1 ThürVwVfG in der Fassung vom 1. Dezember 2014 (bis 31. Dezember 2024)",
        THUER_VWVFG,
        NO_MOVE,
    ),
    (
        "land",
        "post",
        4,
        date(2025, 1, 1),
        None,
        THUER_2025 + "§ 41 Abs. 2 Satz 1 VwVfG",
        THUER_VWVFG,
        f"{THUER_NOTE} {NO_MOVE}",
    ),
    (
        "land",
        "elektronisch",
        3,
        date(2014, 12, 1),
        date(2024, 12, 31),
        "§ 41 Abs. 2 Satz 2 ThürVwVfG in der Fassung vom 1. Dezember 2014 (bis 31. Dezember 2024)",
        THUER_VWVFG,
        NO_MOVE,
    ),
    (
        "land",
        "elektronisch",
        4,
        date(2025, 1, 1),
        None,
        THUER_2025 + "§ 41 Abs. 2 Satz 2 VwVfG",
        THUER_VWVFG,
        f"{THUER_NOTE} {NO_MOVE}",
    ),
]

RETRIEVAL = [
    (
        "bund",
        date(2013, 8, 1),
        "§ 41 Abs. 2a VwVfG (eingefügt durch das E-Government-Gesetz vom 25. Juli 2013)",
        VWVFG_41,
        RETRIEVAL_NOTE,
    ),
    (
        "land",
        date(2025, 1, 1),
        THUER_2025 + "§ 41 Abs. 2a VwVfG",
        THUER_VWVFG,
        f"{THUER_NOTE} {RETRIEVAL_NOTE} Für die Zeit vor 2025 ist keine Landesregel hinterlegt (nicht geprüft).",
    ),
]

OBJECTION_COUNTING = (
    "Fristberechnung: § 57 Abs. 2 VwGO i. V. m. § 222 Abs. 1 und 2 ZPO, §§ 187 Abs. 1, 188 Abs. 2 und 3 BGB "
    "(ebenso § 79, § 31 VwVfG): der Tag der Bekanntgabe zählt nicht mit; Ende am Tag des Folgemonats mit "
    "derselben Zahl, fehlt er, am Monatsletzten; fällt das Ende auf Samstag, Sonntag oder Feiertag, endet "
    "die Frist am nächsten Werktag."
)


def seed(apps, schema_editor):
    BekanntgabeRule = apps.get_model("cases", "BekanntgabeRule")
    ObjectionPeriod = apps.get_model("cases", "ObjectionPeriod")
    for jurisdiction, channel, days, start, end, basis, url, note in BEKANNTGABE:
        BekanntgabeRule.objects.update_or_create(
            jurisdiction=jurisdiction,
            channel=channel,
            valid_from=start,
            defaults={
                "valid_to": end,
                "days_after_event": days,
                "fiction_moves_to_working_day": False,
                "legal_basis": basis,
                "legal_basis_url": url,
                "note": note,
            },
        )
    for jurisdiction, start, basis, url, note in RETRIEVAL:
        BekanntgabeRule.objects.update_or_create(
            jurisdiction=jurisdiction,
            channel="abruf",
            valid_from=start,
            defaults={
                "valid_to": None,
                "days_after_event": 1,
                "fiction_moves_to_working_day": False,
                "retrieval_period_days": 10,
                "retrieval_end_moves_to_working_day": False,
                "legal_basis": basis,
                "legal_basis_url": url,
                "note": note,
            },
        )
    for remedy, basis, url in [
        ("widerspruch", "§ 70 Abs. 1 Satz 1 VwGO", VWGO_70),
        ("klage", "§ 74 Abs. 1 VwGO", VWGO_74),
    ]:
        ObjectionPeriod.objects.update_or_create(
            remedy=remedy,
            valid_from=date(1960, 4, 1),
            defaults={
                "valid_to": None,
                "months": 1,
                "end_moves_to_working_day": True,
                "legal_basis": basis,
                "legal_basis_url": url,
                "note": OBJECTION_COUNTING,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("cases", "BekanntgabeRule").objects.all().delete()
    apps.get_model("cases", "ObjectionPeriod").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_legal_rules")]

    operations = [migrations.RunPython(seed, unseed)]
