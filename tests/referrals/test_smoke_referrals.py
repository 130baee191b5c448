def test_create_and_read(make_referral, ice, cbp):
    referral = make_referral()
    assert referral["status"] == "submitted"
    r = ice.get(f"/api/v1/referrals/{referral['id']}/")
    assert r.status_code == 200, r.content
    assert r.json()["persons"][0]["given_name"] == "Maria"
    r = ice.get("/api/v1/referrals/")
    assert r.status_code == 200, r.content
    assert [x["id"] for x in r.json()["results"]] == [referral["id"]]


def test_walk_all(make_referral):
    for status in ["completed", "on_hold", "withdrawn", "rejected", "info_requested"]:
        make_referral(status)
