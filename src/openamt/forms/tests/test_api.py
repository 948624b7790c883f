from openamt.forms.services import draft_save, version_publish
from openamt.forms.tests.test_definition import DOG
from openamt.submissions.tests.conftest import dog_form  # noqa: F401 - fixture


def test_published_forms_are_listed_with_their_service(client, dog_form):  # noqa: F811
    draft_save(
        actor=None,
        form=dog_form.form,
        definition={**DOG, "title": "Entwurf, noch nicht öffentlich"},
    )
    body = client.get("/api/v1/forms", {"leika_key": "99102013000000"}).json()
    assert body["count"] == 1
    item = body["items"][0]
    assert (item["key"], item["title"], item["leika_key"], item["version"], item["owner"]) == (
        "hundesteuer",
        "Hundesteuer Anmeldung",
        "99102013000000",
        1,
        None,
    )
    assert client.get("/api/v1/forms", {"leika_key": "99115005104000"}).json()["count"] == 0
    detail = client.get("/api/v1/forms/hundesteuer").json()
    assert detail["definition"] == DOG


def test_an_unknown_or_unpublished_form_is_a_problem(client, dog_form):  # noqa: F811
    response = client.get("/api/v1/forms/gibt-es-nicht")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    version_publish(
        actor=None,
        version=draft_save(actor=None, form=dog_form.form, definition={**DOG, "title": "Neu"}),
    )
    assert client.get("/api/v1/forms/hundesteuer").json()["version"] == 2


def test_the_intake_sees_a_new_version_within_the_cache_time(
    dog_form,  # noqa: F811
    settings,
    django_assert_num_queries,
):
    from django.core.cache import cache

    from openamt.forms.selectors import published_form_recent

    settings.OPENAMT_ANSWER_CACHE_SECONDS = 60
    cache.clear()
    assert published_form_recent(key="hundesteuer").number == 1
    version_publish(
        actor=None,
        version=draft_save(actor=None, form=dog_form.form, definition={**DOG, "title": "Neu"}),
    )
    with django_assert_num_queries(0):
        assert published_form_recent(key="hundesteuer").definition["title"] == DOG["title"]
    cache.clear()
    assert published_form_recent(key="hundesteuer").definition["title"] == "Neu"
    settings.OPENAMT_ANSWER_CACHE_SECONDS = 0
    cache.clear()
