"""mentormesh: mentorship as a network, not an assignment."""
