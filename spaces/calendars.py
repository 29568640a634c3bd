"""The iCalendar (.ics) file of an approved booking, built with the ``icalendar`` library."""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

PRODID = "-//Jeonju Urban Innovation Center//Space booking//KO"
ICS_CONTENT_TYPE = "text/calendar; charset=utf-8"


def booking_calendar(booking):
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    event = Event()
    event.add("uid", f"space-booking-{booking.pk}@spaces.jeonju-center")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", booking.local_start)
    event.add("dtend", booking.local_end)
    event.add("summary", _("%(space)s 대관") % {"space": booking.space.name})
    event.add("location", booking.space.location)
    event.add("description", booking.purpose)
    event.add("status", "CONFIRMED")
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
