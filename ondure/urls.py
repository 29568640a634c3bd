"""Public pages of this app (the partner API lives in `api/`)."""

app_name = "ondure"

urlpatterns = []
