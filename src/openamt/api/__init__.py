"""The platform's REST API as one whole: the routers of the apps under
`/api/v1/` (`openamt.api.v1`), its error mapping, the committed OpenAPI
document (`openamt openapi`) and the test of the API against it.

An app of its own because it sits on top of every other app: `core` stays
free of imports from the apps it serves."""
