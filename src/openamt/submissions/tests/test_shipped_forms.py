"""Every form shipped with OpenAmt loads, renders each step and is submitted
through the pages, with its example answers and real PDF uploads."""

import json
import re

import pytest

from openamt.forms.services import forms_load
from openamt.forms.tests.test_shipped import DATA_DIR, EXAMPLES_DIR, FORM_FILES
from openamt.responsibility.selectors import responsibility_find
from openamt.submissions.models import Attachment, Draft, Submission
from openamt.testing.accounts import holder_client, make_holder
from openamt.testing.forms import UPLOAD, step_post


def _uploads(value) -> int:
    if value == UPLOAD:
        return 1
    if isinstance(value, dict):
        return sum(_uploads(v) for v in value.values())
    if isinstance(value, list):
        return sum(_uploads(v) for v in value)
    return 0


@pytest.mark.parametrize("path", FORM_FILES, ids=[path.stem for path in FORM_FILES])
def test_a_shipped_form_renders_and_is_submitted(register, path):
    forms_load(directory=DATA_DIR)
    form = json.loads(path.read_text(encoding="utf-8"))
    example = json.loads((EXAMPLES_DIR / path.name).read_text(encoding="utf-8"))
    steps = {step["key"]: step for step in form["definition"]["steps"]}
    client = holder_client(make_holder("antrag@example.org"), level="hoch")
    response = client.post(f"/antrag/{form['key']}/?ort={example['place']}")
    assert response.status_code == 302, response.content.decode()[:500]
    location = response["Location"]
    for _ in range(len(steps)):
        if location.endswith("/pruefen/"):
            break
        page = client.get(location)
        key = re.search(r"/schritt/([^/]+)/$", location).group(1)
        assert page.status_code == 200
        assert steps[key]["title"] in page.content.decode()
        response = client.post(location, step_post(steps[key], example["answers"]))
        assert response.status_code == 302, re.findall(
            r'<a class="kern-link" href="#[^"]+">([^<]+)</a>', response.content.decode()
        )
        location = response["Location"]
    draft = Draft.objects.get()
    summary = client.get(location)
    assert "noch nicht vollständig" not in summary.content.decode()
    response = client.post(location, {"versicherung": "1"})
    assert response.status_code == 302
    submission = Submission.objects.get()
    finding = responsibility_find(service=submission.version.form.service, region=submission.place)
    assert submission.authority == finding.authority == draft.authority
    assert submission.version.form.key == form["key"]
    assert Attachment.objects.filter(submission=submission).count() == _uploads(example["answers"])
    assert client.get(f"/antrag/eingang/{submission.public_id}/quittung.pdf").status_code == 200
