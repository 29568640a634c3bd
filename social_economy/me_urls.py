"""An organization's own pages for its members (``/me/organization/``, URL names ``my_organization:…``)."""

from django.urls import path

from . import me_views, survey_views

app_name = "my_organization"

urlpatterns = [
    path("me/organization/", me_views.my_organization, name="home"),
    path("me/organization/invitations/<str:token>/", me_views.invitation, name="invitation"),
    path("me/organization/<int:organization_id>/consulting/", me_views.consulting, name="consulting"),
    path(
        "me/organization/<int:organization_id>/survey/<int:campaign_id>/",
        survey_views.answer_as_member,
        name="survey",
    ),
    path("me/organization/<int:organization_id>/profile/", me_views.profile, name="profile"),
    path("me/organization/<int:organization_id>/products/", me_views.products, name="products"),
    path("me/organization/<int:organization_id>/products/new/", me_views.product_new, name="product_new"),
    path(
        "me/organization/<int:organization_id>/products/<int:product_id>/",
        me_views.product_edit,
        name="product",
    ),
    path("me/organization/<int:organization_id>/history/", me_views.history, name="history"),
]
