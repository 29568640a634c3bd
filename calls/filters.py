"""The FilterSet of the calls list of the partner API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from jeonju_center.common.filters import MultiValueChoiceFilter, PortalFilterSet, Unfiltered

from .models import Call, CallProgram
from .selectors import PHASES, calls_in_phase


class CallFilterSet(PortalFilterSet):
    program = MultiValueChoiceFilter(label=_("사업"), choices=CallProgram.choices)
    phase = django_filters.ChoiceFilter(
        label=_("접수 상태"), choices=list(PHASES.items()), method="filter_phase"
    )

    class Meta:
        model = Call
        search_fields = ["title", "summary"]
        unfiltered_fields = {
            "slug": "the call's address (/calls/<slug>/); id selects calls",
            "notice": "long text shown on the call; q searches its title and summary",
            "opens_at": "phase selects the open, upcoming or closed calls",
            "closes_at": "phase selects the open, upcoming or closed calls",
            "announce_on": Unfiltered.DETAIL,
            "places": Unfiltered.DETAIL,
            "reserve_places": Unfiltered.DETAIL,
            "draw_seed_method": "published with the draw; not a criterion lists are narrowed by",
            "min_age": Unfiltered.DETAIL,
            "max_age": Unfiltered.DETAIL,
            "dongs": "residence selects the calls limited to some dongs; their names are shown on each",
            "rooms": "room_names are shown on each call",
            "requires_no_home": Unfiltered.DETAIL,
            "group_min_members": Unfiltered.DETAIL,
            "is_published": "the list holds published calls only",
            "code": Unfiltered.NOT_PUBLIC,
            "housing_program": Unfiltered.NOT_PUBLIC,
            "privacy_terms": Unfiltered.NOT_PUBLIC,
            "privacy_terms_version": Unfiltered.NOT_PUBLIC,
            "retention_days": Unfiltered.NOT_PUBLIC,
            "receipt_sequence": Unfiltered.NOT_PUBLIC,
            "team_group": Unfiltered.NOT_PUBLIC,
        }

    def filter_phase(self, queryset, name, value):
        return calls_in_phase(queryset, value)
