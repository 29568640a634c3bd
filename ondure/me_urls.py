"""A community's own pages for its leader and secretary (``/me/community/``, URL names ``community:…``)."""

from django.urls import path

from . import me_views

app_name = "community"

urlpatterns = [
    path("me/community/", me_views.my_community, name="home"),
    path("me/community/grants/<int:record_id>/", me_views.settlement, name="settlement"),
    path(
        "me/community/grants/<int:record_id>/lines/<int:line_id>/receipt/",
        me_views.receipt,
        name="receipt",
    ),
]
