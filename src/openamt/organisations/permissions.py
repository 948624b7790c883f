"""Who may see and change what. Used by selectors and services, never by views directly."""

from django.contrib.auth.models import AnonymousUser

from openamt.accounts.models import User
from openamt.organisations.constants import AuthorityRoleName, LandRoleName
from openamt.organisations.models import AuthorityRole, LandRole

AnyUser = User | AnonymousUser

# Land roles that see every authority in the staff area.
LAND_WIDE_READ = {LandRoleName.LAND_ADMIN, LandRoleName.OPERATOR, LandRoleName.PROGRAMME_STAFF}
LAND_WIDE_WRITE = {LandRoleName.LAND_ADMIN}


def land_roles(user: AnyUser) -> set[str]:
    if not user.is_authenticated:
        return set()
    return set(LandRole.objects.filter(user=user).values_list("role", flat=True))


def is_land_admin(user: AnyUser) -> bool:
    """Whether the user changes what belongs to the whole Land (its forms, texts, rules)."""
    return bool(land_roles(user) & LAND_WIDE_WRITE)


def authority_ids(user: AnyUser, *, roles: set[str] | None = None) -> set[int]:
    if not user.is_authenticated:
        return set()
    rows = AuthorityRole.objects.filter(user=user)
    if roles is not None:
        rows = rows.filter(role__in=roles)
    return set(rows.values_list("authority_id", flat=True))


def can_change_authority(user: AnyUser, authority_id: int) -> bool:
    if is_land_admin(user):
        return True
    return authority_id in authority_ids(user, roles={AuthorityRoleName.ADMIN})


def is_staff_member(user: AnyUser) -> bool:
    return bool(land_roles(user)) or bool(authority_ids(user))
