"""The pages for people: home, search, the frameworks, the SDGs (the per-kind resource pages are in linked_data)."""

from fastapi import APIRouter

router = APIRouter()
