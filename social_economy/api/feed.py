from jeonju_center.partners.changes import FeedSource

# Children shown inside a parent resource make "updated" events of that parent.
FEED_SOURCES = [
    FeedSource("social_economy.Organization", "organizations"),
    FeedSource("social_economy.Product", "products"),
    FeedSource("social_economy.SurveyCampaign", "survey-campaigns"),
    FeedSource("social_economy.SurveyResponse", "survey-campaigns", parent="campaign_id"),
    FeedSource("social_economy.Store", "stores"),
    FeedSource("social_economy.StoreListing", "stores", parent="store_id"),
    FeedSource("social_economy.ConsultingCase", "consulting-cases"),
    FeedSource("social_economy.ConsultingSession", "consulting-cases", parent="case_id"),
    FeedSource("social_economy.Network", "networks"),
    FeedSource("social_economy.NetworkMembership", "networks", parent="network_id"),
]
