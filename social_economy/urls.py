"""Public pages of this app (the partner API lives in `api/`)."""

from django.urls import path

from . import survey_views, views

app_name = "social_economy"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("<int:pk>/", views.organization_detail, name="organization_detail"),
    path("products/", views.products, name="products"),
    path("products/<int:pk>/", views.product_detail, name="product_detail"),
    # The personal link of the survey e-mails (signed; see ``surveys.py``).
    path("survey/<str:token>/", survey_views.answer_by_link, name="survey"),
]
