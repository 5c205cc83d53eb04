"""Event payloads put right when they became typed: what the feed and a webhook receiver see."""

from __future__ import annotations

from tests.factories import Api


def test_renaming_a_pipeline_records_its_old_name(api: Api) -> None:
    org = api.create_org()
    pipeline = org.post("/pipelines", json={"name": "Retail"}).json()
    assert org.patch(f"/pipelines/{pipeline['id']}", json={"name": "Wholesale"}).status_code == 200
    [event] = [e for e in org.events(type="pipeline.updated") if e["subject_id"] == pipeline["id"]]
    assert event["data"] == {"changes": {"name": {"old": "Retail", "new": "Wholesale"}}}
