"""Timed work for paid help (django-tasks; run `mentormesh db_worker`)."""

from django_tasks import task

from mentormesh.experts import services


@task()
def booking_settle(booking_id: int) -> bool:
    return services.booking_settle(booking_id=booking_id)


@task()
def help_route_experts(request_id: int) -> bool:
    return services.help_route_experts(request_id=request_id)
