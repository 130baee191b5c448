import datetime

from django.utils import timezone

from events.models import Event
from referrals.models import Referral
from referrals.tasks import referrals_mark_overdue


def test_overdue_event_is_emitted_once(make_referral):
    late = make_referral()
    on_time = make_referral()
    answered = make_referral("acknowledged")
    past = timezone.now() - datetime.timedelta(minutes=5)
    Referral.objects.filter(pk__in=[late["id"], answered["id"]]).update(acknowledge_by=past)

    assert referrals_mark_overdue() == 1
    assert referrals_mark_overdue() == 0
    events = Event.objects.filter(type="referral.overdue")
    assert [str(e.referral_id) for e in events] == [late["id"]]
    assert set(events.get().agency_codes) == {"CBP", "ICE"}
    assert on_time["id"] not in {str(e.referral_id) for e in events}
