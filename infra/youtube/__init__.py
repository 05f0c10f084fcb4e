"""YouTube Data API v3: OAuth connection, encrypted token vault, quota ledger and the upload client."""
