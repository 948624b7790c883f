"""xdomea 3.0.0 Aussonderung: the messages that hand closed electronic files
to the Landesarchiv (offer 0501, appraisal 0502 and its receipt 0505, transfer
0503, the archive's receipts 0504/0507 and import confirmation 0506).

`records` holds what the case module fills, `build` writes the authority's
messages, `parse` reads the archive's answers, `schema` checks against the
published schema, `testing` writes the archive's answers for tests and demos.
"""
