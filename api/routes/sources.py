"""/sources/{id}: each vendored source text, with the passage a provenance link points at."""

from fastapi import APIRouter

router = APIRouter()
