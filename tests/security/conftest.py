"""Fixtures borrowed from the avatar tests (a local upload directory, a fake Cloudinary)."""

from tests.integrations.test_avatars import cloudinary_server, local_uploads  # noqa: F401
