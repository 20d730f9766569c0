"""Fixtures borrowed from the avatar tests (a local upload directory, a fake Cloudinary)
and the OIDC tests (the real oidc-provider-mock)."""

from tests.integrations.test_avatars import cloudinary_server, local_uploads  # noqa: F401
from tests.integrations.test_oidc import provider, provider_server  # noqa: F401
