"""The W3C SPARQL 1.1 Protocol tests (tests/api/test_w3c_protocol.py) sent with httpx through HAProxy
to two replicas serving the manifest's data: the balancer passes every request and answer whole
(methods, bodies in any encoding, headers, status codes, errors)."""

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from deploy_testing import replicas_serving
from test_w3c_protocol import QUERY_AND_NEGATIVE, UPDATES, ProtocolTest, check_query_test, check_update_refused


@pytest.fixture(scope="module")
def balancer(w3c_build: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    with (
        replicas_serving(w3c_build, tmp_path_factory.mktemp("w3c-logs")) as replicas,
        httpx.Client(base_url=replicas.topology.url, timeout=30) as client,
    ):
        yield client


@pytest.mark.parametrize("test", QUERY_AND_NEGATIVE, ids=lambda t: t.name)
def test_query_and_negative_tests_through_the_balancer(
    balancer: httpx.Client, w3c_build: Path, test: ProtocolTest
) -> None:
    check_query_test(balancer, w3c_build, test)


@pytest.mark.parametrize("test", UPDATES, ids=lambda t: t.name)
def test_updates_are_refused_through_the_balancer(balancer: httpx.Client, test: ProtocolTest) -> None:
    check_update_refused(balancer, test)
