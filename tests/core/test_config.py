import pytest

from rooms.core.config import Settings


def test_development_defaults_are_usable() -> None:
    settings = Settings(_env_file=None, app_env="development")
    settings.check_production()  # no error outside production
    assert settings.livekit_api_key == "devkey" and settings.livekit_api_secret == "secret"
    assert settings.gladia_api_url == "https://api.gladia.io"
    assert settings.effective_transcription_engine == "local"


def test_production_refuses_default_secrets_and_names_them() -> None:
    settings = Settings(_env_file=None, app_env="production", auth_secret="x" * 40)
    with pytest.raises(RuntimeError) as err:
        settings.check_production()
    message = str(err.value)
    for name in ["TRANSCRIPTION_JWT_SECRET", "LIVEKIT_API_KEY", "LIVEKIT_API_SECRET"]:
        assert name in message
    assert "AUTH_SECRET" not in message.replace("TRANSCRIPTION_JWT_SECRET", "")


def test_production_with_real_secrets_starts() -> None:
    Settings(
        _env_file=None,
        app_env="production",
        auth_secret="a" * 48,
        transcription_jwt_secret="b" * 48,
        livekit_api_key="APIkey",
        livekit_api_secret="c" * 40,
    ).check_production()


def test_short_auth_secret_refused_in_production() -> None:
    settings = Settings(
        _env_file=None,
        app_env="production",
        auth_secret="short",
        transcription_jwt_secret="b" * 48,
        livekit_api_key="APIkey",
        livekit_api_secret="c" * 40,
    )
    with pytest.raises(RuntimeError, match="AUTH_SECRET"):
        settings.check_production()


def test_environment_variables_are_read(monkeypatch) -> None:
    monkeypatch.setenv("GLADIA_API_KEY", "k")
    monkeypatch.setenv("GLADIA_API_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("APP_URL", "https://rooms.example.org")
    settings = Settings(_env_file=None)
    assert settings.effective_transcription_engine == "gladia"
    assert settings.gladia_api_url == "http://127.0.0.1:9"
    assert settings.cookie_secure is True


def test_env_example_documents_every_setting() -> None:
    import re
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / ".env.example").read_text()
    documented = set(re.findall(r"^([A-Z_]+)=", doc, re.M))
    internal = {"AUTH_COOKIE_NAME", "SESSIONS_PAGE_SIZE_MAX"}
    assert {f.upper() for f in Settings.model_fields} - internal == documented


DEV = {"auth_secret": "a" * 48, "transcription_jwt_secret": "b" * 48}
REAL = {**DEV, "livekit_api_key": "APIkey", "livekit_api_secret": "c" * 40}


@pytest.mark.parametrize(
    "url",
    [
        "https://rooms.example.org",
        "http://192.168.1.20:3000",
        "http://0.0.0.0:3000",
        "http://[::]:3000",
    ],
)
def test_development_secrets_refused_when_app_url_is_reachable_from_elsewhere(url: str) -> None:
    """Issue 13 #13: APP_ENV unset (development) no longer means "anything goes"."""
    with pytest.raises(RuntimeError, match="AUTH_SECRET"):
        Settings(_env_file=None, app_url=url).check_production()
    with pytest.raises(RuntimeError, match="LIVEKIT_API_KEY"):
        Settings(_env_file=None, app_url=url, **DEV).check_production()
    Settings(_env_file=None, app_url=url, **REAL).check_production()


@pytest.mark.parametrize(
    "url",
    ["http://localhost:3000", "http://127.0.0.1:8000", "http://[::1]:3000", "http://a.localhost"],
)
def test_development_secrets_on_loopback_start_with_a_loud_warning(url: str, caplog) -> None:
    with caplog.at_level("WARNING", logger="rooms.config"):
        Settings(_env_file=None, app_url=url).check_production()
    (record,) = [r for r in caplog.records if "INSECURE" in r.getMessage()]
    assert "AUTH_SECRET" in record.getMessage() and record.levelname == "WARNING"


def test_a_reset_wins_over_a_read_that_started_before_it(monkeypatch) -> None:
    """A background thread reading settings while a test changes the environment must not
    leave the old values cached after the reset (a lobby test once got the default
    LIVEKIT_URL this way)."""
    import threading

    from rooms.core import config

    monkeypatch.delenv("LIVEKIT_URL", raising=False)
    config.reset_settings()
    reading, release = threading.Event(), threading.Event()

    class SlowSettings(config.Settings):
        def __init__(self) -> None:
            super().__init__()
            if threading.current_thread() is not threading.main_thread():
                reading.set()
                release.wait(5)

    monkeypatch.setattr(config, "Settings", SlowSettings)
    reader = threading.Thread(target=config.get_settings)
    reader.start()
    assert reading.wait(5)
    monkeypatch.setenv("LIVEKIT_URL", "ws://127.0.0.1:9")
    resetter = threading.Thread(target=config.reset_settings)
    resetter.start()
    release.set()
    reader.join(5)
    resetter.join(5)
    try:
        assert config.get_settings().livekit_url == "ws://127.0.0.1:9"
    finally:
        monkeypatch.undo()
        config.reset_settings()
