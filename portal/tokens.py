"""A person's API token (SPEC §8.2 ``POST /api/v1/auth/token/``), protected like the sign-in
page: a locked-out username or address gets 429 (``portal.signin``), not a token."""

from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from .rest import AnonRateThrottle
from .signin import SignInLocked, is_locked_out


class ObtainTokenView(ObtainAuthToken):
    """``{username, password}`` → ``{token}``. A failed sign-in counts towards the lockout
    (django-axes hears Django's ``user_login_failed``); once locked out, even the right password
    is answered with 429 and the cool-off in ``Retry-After``."""

    # DRF's view turns throttling off and reads JSON with its plain parser: here the
    # anonymous rate applies, and the portal's parsers with their size and depth limits.
    throttle_classes = [AnonRateThrottle]
    parser_classes = APIView.parser_classes

    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        if not serializer.is_valid():
            username = request.data.get("username") if hasattr(request.data, "get") else None
            if is_locked_out(request, username):
                raise SignInLocked(request)
            raise ValidationError(serializer.errors)
        token, _created = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response({"token": token.key})
