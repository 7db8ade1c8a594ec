"""/id/…: every resource IRI resolves, as HTML for browsers and RDF for machines."""

from fastapi import APIRouter

router = APIRouter()
