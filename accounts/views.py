"""Sign-up, log-in and the account page, where a submitter sees and rotates their API token."""

from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from rest_framework.authtoken.models import Token

from .forms import SignupForm
from .ratelimit import allow, client_address

LOGIN_URL = "login"  # a URL name: login_required resolves it
SIGNUPS_PER_HOUR = 5
LOGINS_PER_15_MIN = 20
ROTATIONS_PER_HOUR = 10


def _too_many(request, what: str):
    return TemplateResponse(request, "accounts/too_many.html", {"what": what}, status=429)


@never_cache
def signup(request):
    form = SignupForm(request.POST or None)
    if request.method == "POST":
        if not allow("signup", client_address(request), limit=SIGNUPS_PER_HOUR, window=3600):
            return _too_many(request, _("sign-ups"))
        if form.is_valid():
            user = form.save()
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("account")
    return TemplateResponse(request, "accounts/signup.html", {"form": form})


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if not allow("login", client_address(request), limit=LOGINS_PER_15_MIN, window=900):
            return _too_many(request, _("log-in attempts"))
        return super().post(request, *args, **kwargs)

    def get_default_redirect_url(self):
        return reverse("account")


@never_cache
@login_required(login_url=LOGIN_URL)
def account(request):
    token, _created = Token.objects.get_or_create(user=request.user)
    context = {"token": token, "site": request.build_absolute_uri(reverse("home")).rstrip("/")}
    return TemplateResponse(request, "accounts/account.html", context)


@require_POST
@login_required(login_url=LOGIN_URL)
def rotate_token(request):
    """A new key replaces the old one at once: the old key stops working."""
    if not allow("rotate", str(request.user.pk), limit=ROTATIONS_PER_HOUR, window=3600):
        return _too_many(request, _("token changes"))
    Token.objects.filter(user=request.user).delete()
    Token.objects.create(user=request.user)
    return redirect("account")
