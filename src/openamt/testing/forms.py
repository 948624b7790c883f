"""Filling in forms as a browser would: the POST of one step from example answers."""

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from openamt.testing.documents import sample_pdf

UPLOAD = "@pdf"  # in example answers: upload a real PDF here


def step_post(step: dict[str, Any], answers: dict[str, Any]) -> dict[str, Any]:
    """The form data of a step (names as the step page uses them), uploads as files."""
    data: dict[str, Any] = {"aktion": "weiter"}

    def put(spec: dict[str, Any], path: str, value: Any) -> None:
        kind = spec["type"]
        if kind == "info" or value is None:
            return
        if kind in ("place", "address"):
            for part, text in value.items():
                data[f"{path}__{part}"] = text
        elif kind == "file":
            if value == UPLOAD:
                data[path] = SimpleUploadedFile(f"{spec['key']}.pdf", sample_pdf(path))
        else:
            data[path] = value

    for spec in step["items"]:
        key = spec["key"]
        if "group" not in spec:
            put(spec, key, answers.get(key))
            continue
        entries = answers.get(key) or []
        data[f"{key}__anzahl"] = str(len(entries))
        for index, entry in enumerate(entries):
            for inner in spec["group"]:
                put(inner, f"{key}.{index}.{inner['key']}", entry.get(inner["key"]))
    return data
