"""Certificate download (for the citizen) and public verification pages, included by ``courses/urls.py``."""

urlpatterns = []
