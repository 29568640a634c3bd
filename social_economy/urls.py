"""Public pages of this app (the partner API lives in `api/`)."""

app_name = "social_economy"

urlpatterns = []
