"""Django views gated with django-waffle."""

from django.http import HttpResponse
from django.views.generic import TemplateView
from waffle import flag_is_active, switch_is_active
from waffle.decorators import waffle_flag
from waffle.mixins import WaffleFlagMixin

from shopapp.flag_names import Flag


def home(request):
    theme = "dark" if switch_is_active(Flag.DARK_MODE.value) else "light"
    if flag_is_active(request, "legacy_pricing"):
        return HttpResponse(f"legacy prices, {theme}")
    return HttpResponse(f"prices, {theme}")


@waffle_flag("admin_reports")
def reports(request):
    return HttpResponse("reports")


class RefundView(WaffleFlagMixin, TemplateView):
    waffle_flag = "one_click_refunds"
    template_name = "refund.html"
