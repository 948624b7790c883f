"""The authorities' seals: how a decision (Bescheid) is sealed with the
authority's electronic seal (eIDAS Art. 35 ff.; § 37 (3) VwVfG admits a
qualified seal in place of a signature on an electronic administrative act)
and how a sealed document is checked.

An authority's seal is a signer plugin (`core/signers/`) configured in its
`AuthoritySeal`. An authority without one seals, outside production only,
with a seal certificate that the development CA issues in its name
(`core/signers/dev_ca.py`), so that `make run` issues sealed decisions with
nothing configured; in production it cannot seal.
"""

from __future__ import annotations

import json
from typing import Any

from asn1crypto import x509 as asn1_x509
from django.db import transaction

from openamt.accounts.models import User
from openamt.core.audit import audit_record
from openamt.core.errors import DomainError, InvalidInput, PermissionDenied
from openamt.core.signers.dev_ca import dev_ca_allowed, dev_ca_root, dev_seal
from openamt.core.signers.pades import (
    SealValidation,
    local_signer,
    pades_sign,
    pades_validate,
)
from openamt.core.signers.registry import pdf_sign, signers, trust_roots_configured
from openamt.organisations import permissions
from openamt.organisations.models import Authority, AuthoritySeal

__all__ = ["SealNotConfigured", "SealValidation", "seal_pdf", "seal_save", "seal_validate"]


class SealNotConfigured(DomainError):
    """The authority has no seal, and the installation is in production."""

    code = "seal_not_configured"
    status = 409
    title = "Kein Siegel eingerichtet."


def seal_store(*, authority: Authority, plugin: str, values: dict[str, Any]) -> AuthoritySeal:
    """Validate `values` (option name → value) with signer `plugin` and store
    them as the authority's seal (public options as JSON, secrets sealed); an
    empty or missing secret keeps the stored one of the same plugin. No
    permission check and no audit entry: callers are `seal_save` and set-ups by
    the platform itself. Raises InvalidInput (field = the option, or "plugin")."""
    if plugin not in signers:
        raise InvalidInput("Diesen Siegeldienst gibt es nicht.", field="plugin")
    seal = AuthoritySeal.objects.filter(authority=authority).first()
    signer = signers.get(plugin)
    stored = seal.secret_values() if seal and seal.plugin == plugin else {}
    given = {name: value for name, value in values.items() if value not in (None, "")}
    kept = {name: value for name, value in stored.items() if name in signer.secret_options}
    options = signers.options_validate(plugin, {**kept, **given})
    public, secrets = signers.options_split(plugin, options)
    seal = seal or AuthoritySeal(authority=authority)
    seal.plugin = plugin
    seal.options = public
    seal.secrets = json.dumps(secrets, sort_keys=True) if secrets else ""
    seal.save()
    return seal


@transaction.atomic
def seal_save(
    *, actor: User | None, authority: Authority, plugin: str, values: dict[str, Any]
) -> AuthoritySeal:
    """Set up or change the authority's seal (see `seal_store`); `actor` None
    is the operator (`openamt seal set`). Raises PermissionDenied for anyone but
    the authority's admins and the Land's, InvalidInput for options the plugin
    refuses: then nothing is saved. Audited with the public options only."""
    if actor is not None and not permissions.can_change_authority(actor, authority.pk):
        raise PermissionDenied("Nur die Administration der Behörde richtet ihr Siegel ein.")
    seal = seal_store(authority=authority, plugin=plugin, values=values)
    audit_record(
        actor=actor,
        action="authority_seal.save",
        target=seal,
        authority_id=authority.pk,
        changes={"plugin": plugin, "options": seal.options},  # never a secret
    )
    return seal


def seal_pdf(*, authority: Authority, pdf: bytes, reason: str) -> bytes:
    """`pdf` sealed in the name of `authority` (PAdES, see `core/signers/pades.py`),
    with `reason` (e.g. "Bescheid 2026-000123") as the signature's /Reason, the
    authority's name as /Name and its town as /Location. Returns the sealed PDF
    (the input followed by the signature's incremental update).

    Raises SealNotConfigured in production for an authority without a seal,
    SigningError when its seal is incompletely set up or its service fails."""
    seal = AuthoritySeal.objects.filter(authority=authority).first()
    location = authority.city
    if seal is not None:
        data = {**seal.options, **seal.secret_values()}
        return pdf_sign(
            plugin_id=seal.plugin,
            data=data,
            pdf=pdf,
            reason=reason,
            location=location,
            name=authority.name,
        )
    if not dev_ca_allowed():
        raise SealNotConfigured("Für diese Behörde ist kein Siegel eingerichtet.")
    key, chain = dev_seal(f"authority-{authority.pk}", authority.name)
    return pades_sign(
        pdf, local_signer(key, chain), reason=reason, location=location, name=authority.name
    )


def seal_trust_roots() -> list[asn1_x509.Certificate]:
    """The CA certificates seals are checked against: those in the PEM files of
    OPENAMT_SEAL_TRUST_ROOTS, and the development CA outside production.
    ImproperlyConfigured, naming the file, for a file that is missing or holds
    no certificate: that is the operator's error."""
    roots = trust_roots_configured()
    if dev_ca_allowed():
        roots.append(dev_ca_root())
    return roots


def seal_validate(*, pdf: bytes) -> SealValidation:
    """Check the seal of `pdf` with pyHanko's validator: intact, mathematically
    valid, from a trusted CA (`seal_trust_roots`) and covering the whole
    document. Never raises for a bad document: what is wrong is in
    `problems` (German), empty when the seal holds."""
    return pades_validate(pdf, trust_roots=seal_trust_roots())
