"""Content-addressed artifacts in S3 (AWS, MinIO, any S3-compatible server), with a local read cache.

Keys are the sha256 of the bytes plus a suffix, so an object never changes once written: a put of
bytes that are already there uploads nothing, and a downloaded copy in the cache never goes stale.
Stages need files on disk, so `path(key)` downloads an object once into the cache and returns it.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

MULTIPART_THRESHOLD = 16 * 1024 * 1024
"""Files at least this big go up in parts, several at once (boto3's transfer manager)."""
MULTIPART_CHUNK = 16 * 1024 * 1024
KEY = re.compile(r"^[0-9a-f]{64}(\.[A-Za-z0-9]{1,10})?$")  # the same shape the gateway serves
_COPY_CHUNK = 1 << 20


class ArtifactNotFound(FileNotFoundError):
    """The bucket holds no object for this artifact key."""


class BucketMissing(RuntimeError):
    """The configured bucket does not exist (or these credentials cannot see it)."""


class InvalidArtifactKey(ValueError):
    """The key is not `sha256hex` plus an optional short suffix such as `.mp4`."""


def parse_s3_url(url: str) -> tuple[str, str]:
    """`s3://bucket/some/prefix` -> ("bucket", "some/prefix")."""
    parsed = urlparse(url)
    if parsed.scheme != "s3" or not parsed.netloc:
        raise ValueError(f"not an S3 URL: {url!r}; write it as s3://bucket or s3://bucket/prefix")
    return parsed.netloc, parsed.path.strip("/")


def make_s3_client(endpoint_url: str | None = None, region: str | None = None) -> Any:
    """A boto3 S3 client; credentials come from the standard AWS chain (env vars, profile, IAM role)."""
    import boto3
    from botocore.config import Config

    # boto3 reads these itself, but we need to know: any custom endpoint gets path-style URLs.
    endpoint_url = endpoint_url or os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL")
    # A custom endpoint means MinIO or another S3-compatible server: those want path-style URLs
    # (http://host:9000/bucket/key) because their buckets have no DNS names.
    style = "path" if endpoint_url else "auto"
    config = Config(
        signature_version="s3v4",
        s3={"addressing_style": style},
        retries={"max_attempts": 5, "mode": "standard"},
    )
    region = region or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
    return boto3.client("s3", endpoint_url=endpoint_url, region_name=region, config=config)


class S3ArtifactStore:
    """The `ArtifactStore` port on an S3 bucket under a prefix, with downloads cached in a local folder."""

    def __init__(
        self,
        client: Any,
        bucket: str,
        prefix: str = "",
        cache_dir: Path = Path("data/cache"),
        *,
        multipart_threshold: int = MULTIPART_THRESHOLD,
        multipart_chunk: int = MULTIPART_CHUNK,
        presign_client: Any | None = None,
    ) -> None:
        from boto3.s3.transfer import TransferConfig

        self.client = client
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.cache_dir = cache_dir
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        self.transfer = TransferConfig(
            multipart_threshold=multipart_threshold, multipart_chunksize=multipart_chunk
        )
        # Presigned links are signed for the host the browser will reach, which may differ from the
        # in-cluster endpoint (e.g. http://minio:9000 inside, https://files.example.com outside).
        self.presign_client = presign_client or client

    @classmethod
    def from_url(
        cls,
        url: str,
        endpoint_url: str | None = None,
        cache_dir: Path = Path("data/cache"),
        *,
        region: str | None = None,
        public_endpoint_url: str | None = None,
        **options: Any,
    ) -> S3ArtifactStore:
        """Open `s3://bucket/prefix`; `endpoint_url` points at MinIO or another S3-compatible server."""
        bucket, prefix = parse_s3_url(url)
        client = make_s3_client(endpoint_url, region)
        presign = make_s3_client(public_endpoint_url, region) if public_endpoint_url else None
        return cls(client, bucket, prefix, cache_dir, presign_client=presign, **options)

    @property
    def root(self) -> Path:
        """This machine's cache folder; `run_cached` keeps its stage-result index under it.

        Laid out like `LocalArtifactStore` (`root/ab/abcdef...`), so the index stays per machine
        while the artifacts it names live in the bucket and are fetched again if evicted.
        """
        return self.cache_dir

    def __repr__(self) -> str:
        return f"S3ArtifactStore(s3://{self.bucket}/{self.prefix})"

    # -- the ArtifactStore port -------------------------------------------------------------

    def put_bytes(self, data: bytes, suffix: str = "") -> str:
        key = _checked(hashlib.sha256(data).hexdigest() + suffix)
        if not self.exists(key):
            with self._uploading():
                self.client.put_object(Bucket=self.bucket, Key=self.object_key(key), Body=data)
        cached = self._cache_path(key)
        if not cached.exists():
            tmp = self._tmp_beside(cached)
            tmp.write_bytes(data)
            tmp.replace(cached)
        return key

    def put_file(self, path: Path, suffix: str = "") -> str:
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(_COPY_CHUNK), b""):
                digest.update(chunk)
        key = _checked(digest.hexdigest() + (suffix or path.suffix))
        if not self.exists(key):
            # upload_file switches to a parallel multipart upload above the threshold.
            with self._uploading():
                self.client.upload_file(str(path), self.bucket, self.object_key(key), Config=self.transfer)
        cached = self._cache_path(key)
        if not cached.exists():
            # The next stage on this machine will probably read it: keep a copy instead of downloading.
            tmp = self._tmp_beside(cached)
            shutil.copyfile(path, tmp)
            tmp.replace(cached)
        return key

    def path(self, key: str) -> Path:
        """The artifact as a local file, downloaded on first use; raises ArtifactNotFound if absent."""
        cached = self._cache_path(_checked(key))
        if cached.exists():
            return cached
        tmp = self._tmp_beside(cached)
        try:
            self.client.download_file(self.bucket, self.object_key(key), str(tmp), Config=self.transfer)
        except Exception as error:
            tmp.unlink(missing_ok=True)
            if _is_not_found(error):
                raise ArtifactNotFound(
                    f"artifact {key} is not in s3://{self.bucket}/{self.prefix}: it was never stored there or "
                    "was deleted; generate the film again to recreate it"
                ) from error
            raise
        tmp.replace(cached)  # atomic: concurrent readers see the whole file or none
        return cached

    def exists(self, key: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=self.object_key(_checked(key)))
        except Exception as error:
            if _is_not_found(error):
                return False
            raise
        return True

    # -- beyond the port ---------------------------------------------------------------------

    def presigned_url(self, key: str, seconds: int = 3600) -> str:
        """A time-limited HTTP GET link to the object, for browsers and CDNs (no credentials needed)."""
        if not self.exists(key):
            raise ArtifactNotFound(f"artifact {key} is not in s3://{self.bucket}/{self.prefix}")
        filename = key
        return str(
            self.presign_client.generate_presigned_url(
                "get_object",
                Params={
                    "Bucket": self.bucket,
                    "Key": self.object_key(key),
                    "ResponseContentDisposition": f'attachment; filename="{filename}"',
                },
                ExpiresIn=seconds,
            )
        )

    def object_key(self, key: str) -> str:
        """Where an artifact lives in the bucket: `prefix/ab/abcdef....mp4` (spread like the local store)."""
        name = f"{key[:2]}/{key}"
        return f"{self.prefix}/{name}" if self.prefix else name

    def ensure_bucket(self) -> bool:
        """Create the bucket if it is missing (for `filmstudio init` against MinIO); True if created."""
        try:
            self.client.head_bucket(Bucket=self.bucket)
        except Exception as error:
            if not _is_not_found(error):
                raise
            self.client.create_bucket(Bucket=self.bucket, **self._location())
            return True
        return False

    @contextmanager
    def _uploading(self) -> Iterator[None]:
        try:
            yield
        except Exception as error:
            # upload_file wraps the S3 error in S3UploadFailedError, so look at the text as well.
            if "NoSuchBucket" in str(error) or _error_code(error) == "NoSuchBucket":
                raise BucketMissing(
                    f"the bucket {self.bucket!r} does not exist: run `filmstudio init` (it creates the bucket "
                    "on MinIO) or create it yourself, then try again"
                ) from error
            raise

    def _location(self) -> dict[str, Any]:
        region = self.client.meta.region_name
        # us-east-1 is the one region that rejects an explicit LocationConstraint.
        return (
            {}
            if region in (None, "us-east-1")
            else {"CreateBucketConfiguration": {"LocationConstraint": region}}
        )

    def _cache_path(self, key: str) -> Path:
        target = self.cache_dir / key[:2] / key
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    @staticmethod
    def _tmp_beside(target: Path) -> Path:
        # A unique name per writer: two threads fetching the same key never write into one file.
        return target.with_name(f"{target.name}.{uuid.uuid4().hex[:8]}.tmp")


def _checked(key: str) -> str:
    if not KEY.match(key):
        raise InvalidArtifactKey(
            f"{key!r} is not an artifact key: expected sha256 hex plus a suffix like .mp4"
        )
    return key


def _error_code(error: Exception) -> str:
    response = getattr(error, "response", None)
    return str(response.get("Error", {}).get("Code", "")) if isinstance(response, dict) else ""


def _is_not_found(error: Exception) -> bool:
    return _error_code(error) in ("404", "NoSuchKey", "NotFound", "NoSuchBucket")
