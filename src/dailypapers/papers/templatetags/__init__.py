"""Template tags and filters of the reading pages (`{% load reading %}`)."""
