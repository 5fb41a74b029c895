"""The digest tests' real SMTP server, for the jobs and topology tests that send digests."""

from tests.digest.conftest import smtp  # noqa: F401 - a fixture
