from jeonju_center.partners.changes import FeedSource

FEED_SOURCES = [FeedSource("common.Dong", "districts")]
