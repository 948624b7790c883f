from django.contrib import admin

from openamt.core.admin import ReadOnlyAdmin
from openamt.regions.models import Postcode, Region


@admin.register(Region)
class RegionAdmin(ReadOnlyAdmin):
    list_display = ["ars", "name", "level", "kind", "valid_from", "valid_until"]
    list_filter = ["level", "kind"]
    search_fields = ["ars", "ags", "name"]
    show_full_result_count = False


@admin.register(Postcode)
class PostcodeAdmin(ReadOnlyAdmin):
    list_display = ["code", "place_name", "region", "source"]
    list_filter = ["source"]
    search_fields = ["code", "place_name"]
    list_select_related = ["region"]
