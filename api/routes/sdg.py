"""/sdg, /sdg/{notation}: local pages for the UN's SDG goals and targets, with what in the graph cites them."""

from fastapi import APIRouter

router = APIRouter()
