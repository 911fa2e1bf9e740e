"""Spoken languages a person can list, as ISO 639 codes with English names."""

from django.conf.locale import LANG_INFO

LANGUAGES: dict[str, str] = dict(
    sorted(
        (
            (code, info["name"])
            for code, info in LANG_INFO.items()
            if "name" in info and "-" not in code
        ),
        key=lambda item: item[1],
    )
)
