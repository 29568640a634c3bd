"""The home page (URL name ``home``), news with RSS and Atom feeds, notices (공지사항) with their attachments, the
publications library (자료실),
and the newsletter subscription (URL names ``news:…``)."""

from django.urls import include, path

from . import feeds, views

news_patterns = [
    path("news/", views.news_list, name="list"),
    path("news/feed/rss/", feeds.LatestNewsRssFeed(), name="feed_rss"),
    path("news/feed/atom/", feeds.LatestNewsAtomFeed(), name="feed_atom"),
    path("news/<str:slug>/", views.news_detail, name="detail"),
    path("notices/", views.notice_list, name="notices"),
    path("faq/", views.faq, name="faq"),
    path("notices/<str:slug>/", views.notice_detail, name="notice_detail"),
    path("notices/<str:slug>/attachments/<int:pk>/", views.post_attachment, name="attachment"),
    path("library/", views.library, name="library"),
    path("library/newsletters/<int:pk>/", views.newsletter_issue_page, name="newsletter_issue"),
    path("library/<str:slug>/", views.library_detail, name="library_detail"),
    path("library/<str:slug>/files/<int:pk>/", views.library_download, name="library_download"),
    path("newsletter/", views.newsletter, name="newsletter"),
    path("newsletter/confirm/<str:token>/", views.subscribe_confirm, name="subscribe_confirm"),
    path("newsletter/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("", include((news_patterns, "news"))),
]
