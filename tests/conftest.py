import pytest

from mentormesh.people import services


@pytest.fixture(autouse=True)
def _fast_hashing_and_email(settings):
    # Argon2 is deliberately slow; tests that are not about hashing use a fast hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def make_user(db):
    counter = iter(range(1, 10_000))

    def make(handle=None, *, display_name=None, password="a-long-passphrase-42", **profile):
        n = next(counter)
        handle = handle or f"member{n}"
        user = services.user_signup(
            handle=handle,
            email=f"{handle}@example.org",
            password=password,
            display_name=display_name or handle.title(),
        )
        if profile:
            services.profile_update(user=user, changes=profile)
        return user

    return make
