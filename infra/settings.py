"""Settings from the environment (FILMSTUDIO_*), with embedded defaults for one machine."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import AliasChoices, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

if TYPE_CHECKING:
    from gpu_stages.models.selection import ModelEngines

DEV_SECRET = "dev-only-secret-change-me-before-production"


class Settings(BaseSettings):
    """Everything configurable; read once by the composition root, never at import time."""

    model_config = SettingsConfigDict(env_prefix="FILMSTUDIO_", env_file=".env", extra="ignore")

    environment: Literal["local", "test", "production"] = "local"
    data_dir: Path = Path("data")
    event_store_url: str | None = Field(None, description="memory://, sqlite:///path or postgresql://...")
    views_url: str | None = Field(None, description="sqlite:///path or postgresql://...")
    create_tables: bool = True
    transport: Literal["embedded", "kafka"] = "embedded"
    kafka_bootstrap_servers: str = Field(
        "127.0.0.1:9092",
        validation_alias=AliasChoices("KAFKA_BOOTSTRAP_SERVERS", "FILMSTUDIO_KAFKA_BOOTSTRAP_SERVERS"),
    )
    kafka_topic_prefix: str = "filmstudio"
    kafka_partitions: int = 6
    jwt_secret: str = DEV_SECRET
    access_token_minutes: int = 15
    refresh_token_days: int = 14
    storage_url: str | None = Field(None, description="file:///path or s3://bucket/prefix")
    s3_endpoint_url: str | None = None
    worker_slots: int = 2
    stage_set: Literal["studio", "titlecards"] = "studio"
    retry_backoff_seconds: float = 1.0
    credit_sweep_seconds: float = Field(60.0, description="how often expired credits and due plan changes are recorded")
    plans_file: Path | None = Field(None, description="plan catalogue TOML; default: the bundled infra/plans.toml")
    host: str = "127.0.0.1"
    port: int = 8000
    health_port: int = Field(0, description="relay/processors/worker/projector: /healthz and /readyz here; 0 = off")
    moderation_dir: Path | None = Field(None, description="folder of <language>.txt term lists; None: bundled")
    support_contact: str = Field(
        "the studio's administrators", description="whom suspended account holders are told to contact"
    )
    # Salesforce mirror (docs/salesforce.md): OAuth 2.0 client credentials of a connected app.
    salesforce_enabled: bool = False
    salesforce_token_url: str = Field(
        "https://login.salesforce.com/services/oauth2/token",
        description="https://<My Domain>.my.salesforce.com/services/oauth2/token for client credentials",
    )
    salesforce_client_id: str | None = None
    salesforce_client_secret: str | None = None
    salesforce_api_version: str = "62.0"
    salesforce_ca_bundle: str | None = Field(None, description="CA file to trust (a TLS-inspecting proxy)")
    salesforce_backoff_seconds: float = 1.0
    salesforce_backoff_max_seconds: float = 300.0
    salesforce_batch_size: int = 200
    # E-mail notifications (docs/notifications.md): off until an SMTP host is set.
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False
    email_from: str = "AI Film Studio <no-reply@localhost>"
    public_url: str = Field("http://127.0.0.1:8000", description="base of the links in e-mails")
    # Stripe payments (docs/payments.md): off until a secret key is set; tests point api_base at a local fake.
    stripe_api_key: str | None = Field(None, description="sk_test_... or sk_live_... (or a restricted rk_ key)")
    stripe_webhook_secret: str | None = Field(None, description="whsec_... of the webhook endpoint")
    stripe_api_base: str = Field("https://api.stripe.com", description="the Stripe API (a fake in tests)")
    # Optional model engines (docs/gpu.md; needs the gpu extra): local model folders, never a model hub.
    voice_engine: Literal["kokoro", "vits"] = "kokoro"
    scenes_engine: Literal["procedural", "diffusion"] = "procedural"
    music_engine: Literal["fluidsynth", "musicgen"] = "fluidsynth"
    model_device: Literal["auto", "cpu", "cuda"] = "auto"
    model_threads: int = Field(1, ge=0, description="torch CPU threads per model stage (0: one per core)")
    vits_model_dir: str | None = None
    vits_language: str | None = Field(None, description="the VITS model's language, e.g. 'en'")
    diffusion_model_dir: str | None = None
    diffusion_steps: int = 25
    musicgen_model_dir: str | None = None
    marian_models_dir: str | None = Field(None, description="MarianMT folders per pair (en-hi/, en-fr/...)")
    whisper_model_dir: str | None = Field(None, description="CTranslate2 Whisper model for uploaded narration")

    @model_validator(mode="after")
    def _refuse_default_secrets(self) -> Settings:
        if self.environment == "production" and self.jwt_secret == DEV_SECRET:
            raise ValueError(
                "FILMSTUDIO_JWT_SECRET still has its development default; set a long random secret "
                "(e.g. `openssl rand -hex 32`) before running in production."
            )
        return self

    def model_engines(self) -> ModelEngines:
        """The engine choices the film pipeline uses for voices, scenes and music."""
        from gpu_stages.models.selection import ModelEngines

        return ModelEngines(
            voices=self.voice_engine,
            scenes=self.scenes_engine,
            music=self.music_engine,
            device=self.model_device,
            threads=self.model_threads,
            vits_model_dir=self.vits_model_dir,
            vits_language=self.vits_language,
            diffusion_model_dir=self.diffusion_model_dir,
            diffusion_steps=self.diffusion_steps,
            musicgen_model_dir=self.musicgen_model_dir,
            marian_models_dir=self.marian_models_dir,
            whisper_model_dir=self.whisper_model_dir,
        )

    def resolved_event_store_url(self) -> str:
        return self.event_store_url or f"sqlite:///{self.data_dir.resolve()}/events.db"

    def resolved_views_url(self) -> str:
        return self.views_url or f"sqlite:///{self.data_dir.resolve()}/views.db"

    def resolved_storage_url(self) -> str:
        return self.storage_url or f"file://{self.data_dir.resolve()}/artifacts"
