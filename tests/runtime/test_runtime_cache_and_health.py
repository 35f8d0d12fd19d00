"""The per-instance read cache (``cache_ttl``) and the health route's timed store ping."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
from conftest import Api, FakeClock

from atakora.runtime import CrudSpec
from atakora.runtime.cache import CachedResponse, ReadCache

CACHED = "private, max-age=60"


def _sneak_rename(api: Api, id: str, name: str) -> None:
    """Change an item behind the API's back (like another instance would)."""
    stored = api.store.read(id, id)
    api.store.replace(id, id, {**stored.item, "name": name})


@pytest.fixture
def cached(make_api: Callable[..., Api]) -> Api:
    api = make_api(cache_ttl=60)
    assert api.call("POST", json={"id": "ann", "name": "Ann"}).status == 201
    return api


def test_reads_without_a_cache_ask_clients_to_revalidate(api: Api) -> None:
    api.call("POST", json={"id": "ann", "name": "Ann"})
    assert api.call("GET", "/ann").headers["Cache-Control"] == "no-cache"
    assert api.call("GET").headers["Cache-Control"] == "no-cache"


def test_a_cached_read_is_served_from_memory_until_the_ttl_expires(cached: Api, clock: FakeClock) -> None:
    first = cached.call("GET", "/ann")
    assert (first.status, first.json["name"], first.headers["Cache-Control"]) == (200, "Ann", CACHED)
    _sneak_rename(cached, "ann", "Other instance")
    clock.advance(59)
    hit = cached.call("GET", "/ann")
    assert (hit.json["name"], hit.headers["ETag"], hit.headers["Cache-Control"]) == ("Ann", first.headers["ETag"], CACHED)
    clock.advance(1)
    assert cached.call("GET", "/ann").json["name"] == "Other instance"


def test_an_update_through_this_instance_invalidates_the_cached_item(cached: Api) -> None:
    cached.call("GET", "/ann")
    assert cached.call("PUT", "/ann", json={"name": "Annie"}).status == 200
    assert cached.call("GET", "/ann").json["name"] == "Annie"


def test_a_delete_through_this_instance_invalidates_the_cached_item_and_lists(cached: Api) -> None:
    cached.call("GET", "/ann")
    assert cached.call("GET").json["items"][0]["id"] == "ann"
    assert cached.call("DELETE", "/ann").status == 204
    assert cached.call("GET", "/ann").status == 404
    assert cached.call("GET").json["items"] == []


def test_a_failed_conditional_update_still_drops_the_possibly_stale_entry(cached: Api) -> None:
    cached.call("GET", "/ann")
    _sneak_rename(cached, "ann", "Changed elsewhere")
    assert cached.call("PUT", "/ann", json={"name": "X"}, headers={"If-Match": '"stale"'}).status == 412
    assert cached.call("GET", "/ann").json["name"] == "Changed elsewhere"


def test_if_none_match_still_answers_304_from_the_cache(cached: Api) -> None:
    etag = cached.call("GET", "/ann").headers["ETag"]
    response = cached.call("GET", "/ann", headers={"If-None-Match": etag})
    assert (response.status, response.body, response.headers["ETag"]) == (304, b"", etag)
    assert response.headers["Cache-Control"] == CACHED
    assert cached.call("GET", "/ann", headers={"If-None-Match": f'"other", W/{etag}'}).status == 304
    assert cached.call("GET", "/ann", headers={"If-None-Match": '"other"'}).status == 200


def test_list_pages_are_cached_and_dropped_when_an_item_is_created(cached: Api, clock: FakeClock) -> None:
    page = cached.call("GET", params={"limit": "10"})
    assert ([u["id"] for u in page.json["items"]], page.headers["Cache-Control"]) == (["ann"], CACHED)
    cached.store.create({"id": "bob", "name": "Bob"})
    assert [u["id"] for u in cached.call("GET", params={"limit": "10"}).json["items"]] == ["ann"]
    assert [u["id"] for u in cached.call("GET", params={"limit": "5"}).json["items"]] == ["ann", "bob"]
    cached.call("POST", json={"id": "cy", "name": "Cy"})
    assert [u["id"] for u in cached.call("GET", params={"limit": "10"}).json["items"]] == ["ann", "bob", "cy"]


def test_cached_reads_are_keyed_by_partition_value(make_api: Callable[..., Api]) -> None:
    api = make_api(
        partition_key="/role", cache_ttl=60, schema={"name": "string", "role": {"type": "string", "required": True}}
    )
    api.call("POST", json={"id": "x", "name": "admin x", "role": "admin"})
    api.call("POST", json={"id": "x", "name": "member x", "role": "member"})
    assert api.call("GET", "/x", params={"pk": "admin"}).json["name"] == "admin x"
    assert api.call("GET", "/x", params={"pk": "member"}).json["name"] == "member x"
    assert [i["name"] for i in api.call("GET", params={"pk": "member"}).json["items"]] == ["member x"]
    assert api.call("GET", "/x").status == 400  # the partition value is still required


def test_errors_are_not_cached(cached: Api) -> None:
    assert cached.call("GET", "/nobody").status == 404
    cached.store.create({"id": "nobody", "name": "Now here"})
    assert cached.call("GET", "/nobody").status == 200


def test_the_cache_is_bounded_and_evicts_the_least_recently_used_entry() -> None:
    now = [0.0]
    cache = ReadCache(10, max_entries=2, clock=lambda: now[0])
    a, b, c = (ReadCache.item_key(k, None) for k in "abc")
    cache.put(a, CachedResponse(b"a"))
    cache.put(b, CachedResponse(b"b"))
    assert cache.get(a) is not None  # a is now the most recently used
    cache.put(c, CachedResponse(b"c"))
    assert (cache.get(a), cache.get(b), len(cache)) == (CachedResponse(b"a"), None, 2)


def test_cache_keys_tell_typed_partition_values_apart() -> None:
    assert len({ReadCache.item_key("x", v) for v in (1, True, "1", 1.5)}) == 4


@pytest.mark.parametrize("ttl", [0, -1, 86_401, True])
def test_cache_ttl_outside_one_second_to_one_day_is_rejected(ttl: int) -> None:
    with pytest.raises(ValueError, match="cache_ttl"):
        CrudSpec("A", "A", "a", {}, cache_ttl=ttl)


@pytest.mark.parametrize("timeout", [0, -1.0, 231])
def test_health_timeout_must_be_positive_and_at_most_230_seconds(timeout: float) -> None:
    with pytest.raises(ValueError, match="health_timeout_seconds"):
        CrudSpec("A", "A", "a", {}, health_timeout_seconds=timeout)


def test_health_answers_503_quickly_when_the_store_ping_is_too_slow(
    make_api: Callable[..., Api], monkeypatch: pytest.MonkeyPatch
) -> None:
    api = make_api(health_timeout_seconds=0.05)
    release = threading.Event()
    monkeypatch.setattr(api.store, "ping", lambda: release.wait(5))
    started = time.perf_counter()
    response = api.call("GET", "/health")
    assert time.perf_counter() - started < 1
    assert (response.status, response.json) == (503, {"status": "unavailable", "component": "UserApi", "reason": "timeout"})
    assert response.headers["Cache-Control"] == "no-store"
    assert api.call("GET", "/health").status == 503  # joins the same hung ping, no new thread
    release.set()
    time.sleep(0.01)
    assert api.call("GET", "/health").status == 200


def test_health_reports_a_failing_store_as_unavailable(make_api: Callable[..., Api]) -> None:
    api = make_api()
    api.store.close()
    response = api.call("GET", "/health")
    assert (response.status, response.json["reason"], response.json["component"]) == (
        503,
        "store_unavailable",
        "UserApi",
    )


def test_a_read_racing_a_write_does_not_cache_the_old_item(cached: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    original_read = cached.store.read

    def read_then_someone_writes(id: str, partition_value: object) -> object:
        result = original_read(id, id)
        monkeypatch.setattr(cached.store, "read", original_read)
        assert cached.call("PUT", "/ann", json={"name": "Written meanwhile"}).status == 200
        return result

    monkeypatch.setattr(cached.store, "read", read_then_someone_writes)
    assert cached.call("GET", "/ann").json["name"] == "Ann"  # the old value, read before the write
    assert cached.call("GET", "/ann").json["name"] == "Written meanwhile"  # ...but it was not cached
