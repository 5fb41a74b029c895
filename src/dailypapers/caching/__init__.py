"""The page cache: anonymous reads answered from a cache shared by the web workers, kept
fresh by versions that writes bump, and HTTP caching headers (docs/operations.md, "Caching").
"""
