from mentormesh.connect.selectors import asks_waiting_count


def pending(request) -> dict:
    """The numbers beside the menu: asks waiting for me and unread notifications."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "asks_waiting": asks_waiting_count(user),
        "unread": user.notifications.filter(read_at__isnull=True).count(),
    }
