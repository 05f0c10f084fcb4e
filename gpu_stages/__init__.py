"""gpu_stages package."""
