"""The map and the charts: what the texts name, drawn from the views."""

from fastapi import APIRouter

router = APIRouter()
