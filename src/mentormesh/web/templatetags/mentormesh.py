from django import template

from mentormesh import text

register = template.Library()

register.filter("money", text.money)
