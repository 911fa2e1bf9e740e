from django.db.models import F, Func, QuerySet, Subquery

from mentormesh.connect.selectors import asks_waiting, intros_waiting, sessions_waiting
from mentormesh.experts.selectors import approvals_for, inbox_waiting
from mentormesh.people.models import User


def _count(queryset: QuerySet):
    """COUNT(*) of ``queryset`` as a subquery, so several counts cost one query."""
    return Subquery(queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n"))


def pending(request) -> dict:
    """The numbers beside the menu, in one query: asks and introductions waiting for my
    answer, times proposed to me, help requests routed to me that I have not opened and
    sponsorship requests for me to decide, unread notifications."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    asks, intros, sessions, help_new, approvals, unread = (
        User.objects.filter(pk=user.pk)
        .values_list(
            _count(asks_waiting(user)),
            _count(intros_waiting(user)),
            _count(sessions_waiting(user)),
            _count(inbox_waiting(user)),
            _count(approvals_for(user)),
            _count(user.notifications.filter(read_at__isnull=True)),
        )
        .get()
    )
    return {
        "asks_waiting": asks + intros,
        # Where the count leads: the tab that lists what is waiting.
        "asks_box": "received" if asks else "intros" if intros else "",
        "sessions_waiting": sessions,
        "help_waiting": help_new + approvals,
        "help_link": "help" if help_new or not approvals else "approvals",
        "unread": unread,
    }
