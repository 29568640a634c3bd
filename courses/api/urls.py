from .views import CourseViewSet

ROUTES = [("courses", CourseViewSet, "course")]
